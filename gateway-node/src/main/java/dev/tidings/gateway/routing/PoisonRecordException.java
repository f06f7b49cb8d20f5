package dev.tidings.gateway.routing;

import org.jspecify.annotations.Nullable;

/** A record that decoded but can never be delivered (e.g. a payload that is not a JSON object): straight to the DLQ. */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

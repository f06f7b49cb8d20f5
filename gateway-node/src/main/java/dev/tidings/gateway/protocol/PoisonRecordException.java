package dev.tidings.gateway.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A notification that decoded but can never be framed ({@link FrameEncoder#notification}), e.g. its
 * payload is not a JSON object: skipped by the live consumer, written to the DLQ by the dead-letter one.
 */
public final class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

package dev.tidings.schema;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that is not a notification of any known schema version. Never retriable:
 * consumers send such a record to the dead-letter topic and go on.
 */
public class UndecodableRecordException extends SerializationException {

    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}

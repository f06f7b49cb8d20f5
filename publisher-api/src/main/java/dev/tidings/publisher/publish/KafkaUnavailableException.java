package dev.tidings.publisher.publish;

/** Kafka did not acknowledge a record in time; nothing may be reported as written (503). */
public class KafkaUnavailableException extends RuntimeException {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

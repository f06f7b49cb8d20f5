package dev.tidings.publisher.publish;

/** A payload, body or batch over its configured limit (413). */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}

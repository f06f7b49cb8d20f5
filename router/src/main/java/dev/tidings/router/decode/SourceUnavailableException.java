package dev.tidings.router.decode;

/**
 * Something a record's decoding needs is unreachable for now (the schema registry): the route
 * pauses and retries the same record with backoff instead of dead-lettering it.
 */
public class SourceUnavailableException extends RuntimeException {

    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.tidings.client.autoconfigure;

/**
 * The {@code tidings.publisher.*} settings cannot make a client: the message says what is wrong,
 * {@link #action()} what to do. {@link TidingsConfigurationFailureAnalyzer} shows both when it
 * stops an application from starting.
 */
public final class TidingsConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String action;

    TidingsConfigurationException(String message, String action) {
        super(message);
        this.action = action;
    }

    /** What to change so that the application starts. */
    public String action() {
        return action;
    }
}

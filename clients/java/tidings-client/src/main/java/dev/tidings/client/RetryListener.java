package dev.tidings.client;

import java.time.Duration;

/**
 * Told of every retry before its wait, for logging or metrics. The default logs it at
 * {@code INFO} through {@link System.Logger} (SLF4J or Log4j pick it up where they are bound).
 *
 * <p>Called on the sending thread; it must be quick and must not throw.
 */
@FunctionalInterface
public interface RetryListener {

    /**
     * A retry is about to wait, then go.
     *
     * @param attempt the attempt that comes next, 2 for the first retry
     * @param delay how long it waits first
     * @param reason the failure that is retried; its {@link TidingsException#id()} is the id sent again
     */
    void retrying(int attempt, Duration delay, TidingsException reason);

    /** The listener that logs each retry at {@code INFO}. */
    static RetryListener logging() {
        System.Logger log = System.getLogger(Tidings.class.getName());
        return (attempt, delay, reason) -> log.log(System.Logger.Level.INFO,
                () -> "Tidings: attempt " + attempt + " in " + delay.toMillis() + " ms after " + reason.getMessage());
    }
}

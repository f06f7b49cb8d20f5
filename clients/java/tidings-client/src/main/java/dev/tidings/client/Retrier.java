package dev.tidings.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs the attempts of one request under a {@link RetryPolicy}: a retryable failure is tried again
 * after the policy's delay, until an attempt succeeds, the failure is not retryable, the attempts
 * are spent, or the next wait would end past {@link RetryPolicy#maxElapsed()}.
 *
 * <p>An attempt may also succeed in part ({@link Step.Again}, a batch with items to send again):
 * when the policy allows no more, that part is the result.
 *
 * <p>Thread-safe: holds no state between runs.
 */
final class Retrier {

    /** Waits; {@link Thread#sleep} outside tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration delay) throws InterruptedException;
    }

    /** One attempt, numbered from 1. */
    @FunctionalInterface
    interface Attempt<T> {
        Step<T> run(int attempt);
    }

    /** What an attempt came to, when it did not throw. */
    sealed interface Step<T> {

        /** Done: the result. */
        record Done<T>(T value) implements Step<T> {
        }

        /** Done in part: {@code soFar} is the result unless a retry does better; {@code reason} is retryable. */
        record Again<T>(T soFar, TidingsException reason) implements Step<T> {
        }
    }

    private final RetryPolicy policy;
    private final RetryListener listener;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    Retrier(RetryPolicy policy, RetryListener listener) {
        this(policy, listener, System::nanoTime, delay -> Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    Retrier(RetryPolicy policy, RetryListener listener, LongSupplier nanoTime, Sleeper sleeper, DoubleSupplier random) {
        this.policy = policy;
        this.listener = listener;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.random = random;
    }

    RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs {@code attempt} until it is done or may not be retried.
     *
     * @return the last attempt's result, complete or in part
     * @throws TidingsException the last attempt's failure when it was not retryable or no retry was left
     */
    <T> T run(Attempt<T> attempt) {
        long start = nanoTime.getAsLong();
        for (int n = 1; ; n++) {
            @Nullable T soFar = null;
            TidingsException failure;
            try {
                Step<T> step = attempt.run(n);
                if (step instanceof Step.Done<T> done) {
                    return done.value();
                }
                Step.Again<T> again = (Step.Again<T>) step;
                soFar = again.soFar();
                failure = again.reason();
            }
            catch (TidingsException ex) {
                if (!ex.retryable()) {
                    throw ex;
                }
                failure = ex;
            }
            Duration delay = n < policy.maxAttempts() ? policy.delay(n, retryAfter(failure), random.getAsDouble()) : null;
            if (delay == null || Duration.ofNanos(nanoTime.getAsLong() - start).plus(delay).compareTo(policy.maxElapsed()) > 0) {
                return giveUp(soFar, failure);
            }
            listener.retrying(n + 1, delay, failure);
            try {
                sleeper.sleep(delay);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                failure.addSuppressed(ex);
                return giveUp(soFar, failure);
            }
        }
    }

    private static <T> T giveUp(@Nullable T soFar, TidingsException failure) {
        if (soFar != null) {
            return soFar;
        }
        throw failure;
    }

    private static @Nullable Duration retryAfter(TidingsException failure) {
        return failure instanceof TidingsProblemException problem ? problem.retryAfter() : null;
    }
}

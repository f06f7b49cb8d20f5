package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The retry loop on a clock of its own: waits are recorded and advance the clock, nothing sleeps. */
class RetrierTest {

    final List<Duration> waits = new ArrayList<>();
    final List<Integer> announced = new ArrayList<>();
    long nanos;

    Retrier retrier(RetryPolicy policy) {
        return new Retrier(policy, (attempt, delay, reason) -> announced.add(attempt), () -> nanos, delay -> {
            waits.add(delay);
            nanos += delay.toNanos();
        }, () -> 0.0);
    }

    static TidingsProblemException problem(int status, Duration retryAfter) {
        return new TidingsProblemException(new TidingsProblem(ProblemKind.of(status), status, TidingsProblem.ABOUT_BLANK,
                "t", "d", null, null, retryAfter), "n-1");
    }

    @Test
    void aRateLimitedAttemptIsRetriedAfterItsRetryAfter() {
        AtomicInteger attempts = new AtomicInteger();

        String result = retrier(RetryPolicy.DEFAULT).run(attempt -> {
            if (attempts.incrementAndGet() == 1) {
                throw problem(429, Duration.ofSeconds(2));
            }
            return new Retrier.Step.Done<>("written");
        });

        assertThat(result).isEqualTo("written");
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(announced).containsExactly(2);
    }

    @Test
    void anUnavailableAttemptIsRetriedUntilTheAttemptsAreSpentThenThrown() {
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.DEFAULT.withMaxAttempts(3);

        assertThatThrownBy(() -> retrier(policy).run(attempt -> {
            attempts.incrementAndGet();
            throw problem(503, null);
        })).isInstanceOfSatisfying(TidingsProblemException.class, ex -> assertThat(ex.kind()).isEqualTo(ProblemKind.UNAVAILABLE));

        assertThat(attempts).hasValue(3);
        assertThat(waits).containsExactly(policy.backoff(1, 0.0), policy.backoff(2, 0.0));
    }

    @Test
    void aFailureThatIsNotRetryableIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retrier(RetryPolicy.DEFAULT).run(attempt -> {
            attempts.incrementAndGet();
            throw problem(422, null);
        })).isInstanceOf(TidingsProblemException.class);

        assertThat(attempts).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aRetryAfterThatWouldEndPastTheTimeBudgetGivesUpWithoutWaiting() {
        RetryPolicy policy = RetryPolicy.DEFAULT.withMaxElapsed(Duration.ofSeconds(10));

        assertThatThrownBy(() -> retrier(policy).run(attempt -> {
            nanos += Duration.ofSeconds(3).toNanos();
            throw problem(429, Duration.ofSeconds(8));
        })).isInstanceOf(TidingsProblemException.class);

        assertThat(waits).isEmpty();
    }

    @Test
    void retriesStopOnceTheTimeBudgetIsSpent() {
        RetryPolicy policy = RetryPolicy.DEFAULT.withMaxAttempts(100).withMaxElapsed(Duration.ofSeconds(20));
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retrier(policy).run(attempt -> {
            attempts.incrementAndGet();
            throw problem(503, Duration.ofSeconds(5));
        })).isInstanceOf(TidingsProblemException.class);

        assertThat(attempts).hasValue(5);
        assertThat(Duration.ofNanos(nanos)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aLostConnectionIsRetried() {
        AtomicInteger attempts = new AtomicInteger();

        String result = retrier(RetryPolicy.DEFAULT).run(attempt -> {
            if (attempts.incrementAndGet() < 3) {
                throw new TidingsUnreachableException("refused", "n-1", null);
            }
            return new Retrier.Step.Done<>("written");
        });

        assertThat(result).isEqualTo("written");
        assertThat(announced).containsExactly(2, 3);
    }

    @Test
    void aPartResultIsReturnedWhenNoRetryIsLeft() {
        String result = retrier(RetryPolicy.DEFAULT.withMaxAttempts(2)).run(
                attempt -> new Retrier.Step.Again<>("part " + attempt, problem(503, Duration.ofSeconds(1))));

        assertThat(result).isEqualTo("part 2");
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void anInterruptedWaitGivesUpAndKeepsTheInterrupt() {
        Retrier retrier = new Retrier(RetryPolicy.DEFAULT, (a, d, r) -> { }, () -> 0L, delay -> {
            throw new InterruptedException();
        }, () -> 0.0);

        try {
            assertThatThrownBy(() -> retrier.run(attempt -> {
                throw problem(503, Duration.ofSeconds(1));
            })).isInstanceOf(TidingsProblemException.class)
                    .satisfies(ex -> assertThat(ex.getSuppressed()).hasAtLeastOneElementOfType(InterruptedException.class));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        finally {
            Thread.interrupted();
        }
    }
}

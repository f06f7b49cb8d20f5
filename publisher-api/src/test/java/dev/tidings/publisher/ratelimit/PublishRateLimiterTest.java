package dev.tidings.publisher.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tidings.publisher.config.TestProperties;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import dev.tidings.publisher.problem.Problems;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;

class PublishRateLimiterTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void aCallerGetsItsBurstAtOnceThenIsToldHowLongToWait() {
        PublishRateLimiter limiter = limiter(2, 5);

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("grades", 1).allowed()).as("request %d of the burst", i + 1).isTrue();
        }
        PublishRateLimiter.Decision refused = limiter.tryAcquire("grades", 1);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(meters.counter("tidings.publisher.rate.limited").count()).isEqualTo(1);
    }

    @Test
    void aRequestCostsOneTokenPerRecordAndTheRefusalNamesTheLimitAndItsSettings() {
        PublishRateLimiter limiter = limiter(2, 5);

        limiter.acquire("fan-out", 4);

        // Four more tokens than are left: two seconds of refill, which no slow machine gets between two calls.
        assertThatThrownBy(() -> limiter.acquire("fan-out", 5))
                .isInstanceOf(RateLimitExceededException.class)
                .hasMessageContaining("2 records per second")
                .hasMessageContaining("tidings.publisher.rate-limit-per-second")
                .hasMessageContaining("tidings.publisher.rate-limit-burst");
        limiter.acquire("fan-out", 1);
    }

    @Test
    void aRefusalIsA429WhoseRetryAfterIsTheCallersOwnWaitInTheBodyAndTheHeader() {
        PublishRateLimiter limiter = limiter(1, 1);
        limiter.acquire("eager", 1);

        Throwable refusal = catchThrowable(() -> limiter.acquire("eager", 1));
        ProblemDetail problem = Problems.of(refusal);

        assertThat(problem.getStatus()).isEqualTo(429);
        assertThat(problem.getType()).hasToString("https://tidings.dev/problems/too-many-requests");
        assertThat(problem.getTitle()).isEqualTo("Too many requests");
        assertThat(problem.getDetail()).isEqualTo(refusal.getMessage()).endsWith("retry after 1 s");
        assertThat(problem.getProperties()).containsExactly(entry("retryAfterSeconds", 1L));
        assertThat(Problems.headers(problem).toSingleValueMap()).containsExactly(entry("Retry-After", "1"));
    }

    @Test
    void aRequestOfMoreRecordsThanTheBurstIsTooLargeRatherThanToldToWait() {
        PublishRateLimiter limiter = limiter(2, 5);

        assertThatThrownBy(() -> limiter.acquire("bulk", 6))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("6 records")
                .hasMessageContaining("tidings.publisher.rate-limit-burst");
        limiter.acquire("bulk", 5);
    }

    @Test
    void oneCallerOverItsLimitCostsAnotherCallerNothing() {
        PublishRateLimiter limiter = limiter(1, 1);

        assertThat(limiter.tryAcquire("noisy", 1).allowed()).isTrue();
        assertThat(limiter.tryAcquire("noisy", 1).allowed()).isFalse();

        assertThat(limiter.tryAcquire("quiet", 1).allowed()).isTrue();
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        PublishRateLimiter.Decision decision = new PublishRateLimiter.Decision(false, Duration.ofMillis(1001));

        assertThat(decision.retryAfterSeconds()).isEqualTo(2);
        assertThat(new PublishRateLimiter.Decision(false, Duration.ofNanos(1)).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsNeverGetMoreThanTheBurst() throws Exception {
        PublishRateLimiter limiter = limiter(1, 100);
        AtomicInteger allowed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<?>[] workers = new Future<?>[8];
            for (int t = 0; t < workers.length; t++) {
                workers[t] = pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        if (limiter.tryAcquire("racer", 1).allowed()) {
                            allowed.incrementAndGet();
                        }
                    }
                });
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        finally {
            pool.shutdownNow();
        }

        // 100 at once, plus at most a few refilled at 1/s while the threads ran.
        assertThat(allowed.get()).isBetween(100, 103);
    }

    private PublishRateLimiter limiter(int perSecond, int burst) {
        return new PublishRateLimiter(TestProperties.publisher("rate-limit-per-second", String.valueOf(perSecond),
                "rate-limit-burst", String.valueOf(burst)), meters);
    }
}

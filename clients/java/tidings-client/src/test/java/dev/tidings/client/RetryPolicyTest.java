package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    final RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(60), Duration.ofMillis(100),
            Duration.ofSeconds(2), 2.0);

    @Test
    void theFirstBackoffFallsBetweenHalfAndAllOfTheInitialBackoff() {
        assertThat(policy.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(policy.backoff(1, 0.999999)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    }

    @Test
    void eachBackoffDoublesUntilTheMaximum() {
        assertThat(policy.backoff(2, 1.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoff(3, 1.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.backoff(5, 1.0)).isEqualTo(Duration.ofMillis(1600));
        assertThat(policy.backoff(6, 1.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(60, 1.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(60, 0.0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everyBackoffStaysWithinItsBoundsWhateverTheJitter() {
        for (int retry = 1; retry <= 12; retry++) {
            Duration ceiling = Duration.ofMillis(Math.min(2000, 100L << (retry - 1)));
            for (double random = 0; random < 1; random += 0.05) {
                assertThat(policy.backoff(retry, random)).as("retry %d, random %f", retry, random)
                        .isBetween(ceiling.dividedBy(2), ceiling);
            }
        }
    }

    @Test
    void aRetryAfterIsWaitedInFullPlusAtMostATenthOfIt() {
        assertThat(policy.delay(1, Duration.ofSeconds(5), 0.0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delay(1, Duration.ofSeconds(5), 0.999)).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5500));
    }

    @Test
    void aRetryAfterLongerThanTheMaximumBackoffIsStillHonoured() {
        assertThat(policy.delay(1, Duration.ofSeconds(30), 0.0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withoutARetryAfterTheDelayIsTheBackoff() {
        assertThat(policy.delay(3, null, 0.5)).isEqualTo(policy.backoff(3, 0.5));
    }

    @Test
    void settingsOutOfRangeAreRefusedWithTheirName() {
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMultiplier(0.5)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxElapsed(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxElapsed");
    }
}

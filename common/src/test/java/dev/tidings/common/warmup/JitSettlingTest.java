package dev.tidings.common.warmup;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JitSettlingTest {

    @Test
    void theJitIsNeverSettledBeforeTheShortestWarmUpHasPassed() {
        JitSettling settling = new JitSettling(System.nanoTime(), Duration.ofHours(1), Duration.ZERO, 1.0);

        assertThat(settling.settled()).isFalse();
        assertThat(settling.settled()).isFalse();
    }

    @Test
    void aJitThatCompiledLessThanItsShareOfAWindowHasSettledOnceTheWindowPassed() {
        JitSettling settling = new JitSettling(System.nanoTime() - Duration.ofMinutes(1).toNanos(), Duration.ZERO,
                Duration.ofMillis(500), Double.MAX_VALUE);

        assertThat(settling.settled()).as("the first window has not passed").isFalse();
        await().atMost(Duration.ofSeconds(5)).until(settling::settled);
        assertThat(settling.compileMillis()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aJitThatCompiledAtAllInAWindowWithNoShareHasNotSettled() {
        JitSettling settling = new JitSettling(System.nanoTime() - Duration.ofMinutes(1).toNanos(), Duration.ZERO,
                Duration.ZERO, 0.0);

        assertThat(settling.settled()).as("nothing compiled is not less than nothing").isFalse();
    }
}

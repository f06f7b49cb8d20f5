package dev.tidings.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class SampledLogTest {

    final Logger logger = mock(Logger.class);
    final AtomicLong nanos = new AtomicLong();
    final SampledLog log = new SampledLog(logger, "Poison records skipped", Duration.ofSeconds(10), nanos::get);

    @Test
    void aFloodLogsOneLineAtOnceThenOneLinePerIntervalWithTheCountSinceThePreviousLine() {
        assertThat(log.warn("p-0@0")).isTrue();
        for (int i = 1; i < 100_000; i++) {
            assertThat(log.warn("p-0@" + i)).isFalse();
        }
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(log.warn("p-0@100000")).isTrue();

        verify(logger).warn("{} ({} since the last line; last: {})", "Poison records skipped", 1L, "p-0@0");
        verify(logger).warn("{} ({} since the last line; last: {})", "Poison records skipped", 100_000L,
                "p-0@100000");
        verify(logger, times(2)).warn(anyString(), eq("Poison records skipped"), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any());
    }

    @Test
    void aFlushLogsWhatAFloodThatStoppedLeftUncountedOnceTheIntervalHasPassedAndNothingWhenThereIsNothing() {
        log.warn("first");
        log.warn("second");
        log.warn("third");

        assertThat(log.flush()).as("before the interval").isFalse();
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(log.flush()).isTrue();
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(log.flush()).as("nothing new").isFalse();

        verify(logger).warn("{} ({} since the last line; last: {})", "Poison records skipped", 2L, "third");
        verify(logger, never()).warn("{} ({} since the last line; last: {})", "Poison records skipped", 0L, "third");
    }
}

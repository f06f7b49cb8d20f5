package dev.tidings.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PacerTest {

    private long now = 0;
    private final List<Long> parks = new ArrayList<>();

    /** A pacer on a fake clock whose parks move the clock forward by exactly the time asked. */
    private Pacer pacer(int perSecond, Duration burst) {
        return new Pacer(perSecond, burst, () -> now, nanos -> {
            parks.add(nanos);
            now += nanos;
        });
    }

    @Test
    void aBusyCallerIsHeldToTheRateOverAnyLongStretch() {
        Pacer pacer = pacer(500, Duration.ofMillis(100));
        for (int i = 0; i < 5_000; i++) {
            pacer.acquire();
        }
        // 5,000 permits at 500/s: 10 s, less the last burst the caller may be ahead by.
        assertThat(Duration.ofNanos(now)).isBetween(Duration.ofMillis(9_900), Duration.ofMillis(10_000));
    }

    @Test
    void permitsComeInBurstsWithOneParkBetweenThemNotAParkPerPermit() {
        Pacer pacer = pacer(500, Duration.ofMillis(100));
        for (int i = 0; i < 5_000; i++) {
            pacer.acquire();
        }
        // About 100 bursts of 50 permits (100 ms at 500/s), each ended by one park.
        assertThat(parks).hasSizeBetween(95, 100);
        assertThat(parks).allSatisfy(park -> assertThat(park).isGreaterThan(Duration.ofMillis(100).toNanos()));
    }

    @Test
    void withoutABurstEveryPermitParks() {
        Pacer pacer = pacer(100, Duration.ZERO);
        for (int i = 0; i < 300; i++) {
            pacer.acquire();
        }
        assertThat(parks).hasSize(300);
        assertThat(Duration.ofNanos(now)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aCallerThatWasIdleMayTakeASecondsWorthAtOnce() {
        Pacer pacer = pacer(500, Duration.ofMillis(100));
        now += Duration.ofMinutes(1).toNanos();
        for (int i = 0; i < 550; i++) {
            pacer.acquire();
        }
        assertThat(parks).isEmpty();
    }

    @Test
    void aRateBelowOneAPermitASecondIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Pacer(0, Duration.ZERO));
    }
}

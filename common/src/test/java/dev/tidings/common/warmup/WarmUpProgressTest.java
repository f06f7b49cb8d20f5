package dev.tidings.common.warmup;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpProgressTest {

    @Test
    void aWarmUpHoldsReadinessWhileItWaitsAndRunsAndReportsItsCountsOnceItBegan() {
        WarmUpProgress progress = new WarmUpProgress(Duration.ofSeconds(30));
        assertThat(progress.holdsReadiness()).isTrue();
        assertThat(progress.details(Map.of("requests", 1L))).containsOnlyKeys("state", "duration")
                .containsEntry("state", "waiting").containsEntry("duration", "PT30S");

        progress.begin();
        progress.watchJit();

        assertThat(progress.holdsReadiness()).isTrue();
        assertThat(progress.deadlineNanos() - System.nanoTime()).isPositive();
        assertThat(progress.details(Map.of("requests", 7L))).containsEntry("state", "running")
                .containsEntry("requests", 7L).containsKeys("elapsedMillis", "jitCompileMillis");

        progress.finish(null);

        assertThat(progress.state()).isEqualTo(WarmUpProgress.State.DONE);
        assertThat(progress.holdsReadiness()).isFalse();
        assertThat(progress.details(Map.of())).containsEntry("elapsedMillis", progress.tookMillis())
                .doesNotContainKey("reason");
    }

    @Test
    void aWarmUpThatFailedOrWasSkippedLeavesTheServiceReadyAndSaysWhy() {
        WarmUpProgress failed = new WarmUpProgress(Duration.ofSeconds(30));
        failed.begin();
        failed.finish("answered 503");
        WarmUpProgress skipped = new WarmUpProgress(Duration.ZERO);
        skipped.skip("disabled");

        assertThat(failed.holdsReadiness()).isFalse();
        assertThat(failed.details(Map.of())).containsEntry("state", "failed").containsEntry("reason", "answered 503");
        assertThat(skipped.holdsReadiness()).isFalse();
        assertThat(skipped.details(Map.of("requests", 0L))).containsEntry("state", "skipped")
                .containsEntry("reason", "disabled").doesNotContainKeys("requests", "elapsedMillis");
    }
}

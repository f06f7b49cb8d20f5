package dev.tidings.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(500, 8_000);

    @Test
    void doublesTheCeilingPerAttemptUpToTheMaximum() {
        assertThat(backoff.ceilingMillis(0)).isEqualTo(500);
        assertThat(backoff.ceilingMillis(1)).isEqualTo(1000);
        assertThat(backoff.ceilingMillis(4)).isEqualTo(8000);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(8000);
        assertThat(backoff.ceilingMillis(10_000)).as("never overflows").isEqualTo(8000);
    }

    @Test
    void drawsTheDelayUniformlyBetweenZeroAndTheCeiling() {
        assertThat(backoff.delayMillis(1, () -> 0.0)).isZero();
        assertThat(backoff.delayMillis(1, () -> 0.5)).isEqualTo(500);
        assertThat(backoff.delayMillis(1, () -> 0.999_999)).isEqualTo(1000);
        assertThat(backoff.delayMillis(1, () -> 7.0)).as("clamped").isEqualTo(1000);
    }

    @Test
    void waitsExactlyNothingWithAZeroCeiling() {
        assertThat(new Backoff(0, 0).delayMillis(3, () -> 0.7)).isZero();
    }

    @Test
    void refusesAMaximumBelowTheFirstCeiling() {
        assertThatThrownBy(() -> new Backoff(1000, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}

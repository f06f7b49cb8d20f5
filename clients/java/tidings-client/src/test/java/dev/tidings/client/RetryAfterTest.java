package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    final Instant now = Instant.parse("2026-11-25T09:00:00Z");

    @Test
    void delaySecondsAreReadAsSeconds() {
        assertThat(RetryAfter.parse("5", now)).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse(" 0 ", now)).isEqualTo(Duration.ZERO);
    }

    @Test
    void anHttpDateIsReadAsTheTimeUntilIt() {
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 09:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anHttpDateInThePastMeansNoWait() {
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 08:59:00 GMT", now)).isEqualTo(Duration.ZERO);
    }

    @Test
    void anAbsentOrUnreadableValueIsNoAnswer() {
        assertThat(RetryAfter.parse(null, now)).isNull();
        assertThat(RetryAfter.parse("", now)).isNull();
        assertThat(RetryAfter.parse("soon", now)).isNull();
        assertThat(RetryAfter.parse("-5", now)).isNull();
        assertThat(RetryAfter.parse("1.5", now)).isNull();
    }

    @Test
    void anEnormousAskIsCappedAtADay() {
        assertThat(RetryAfter.parse("99999999999999999999999", now)).isEqualTo(RetryAfter.LONGEST);
        assertThat(RetryAfter.parse("864000", now)).isEqualTo(RetryAfter.LONGEST);
    }
}

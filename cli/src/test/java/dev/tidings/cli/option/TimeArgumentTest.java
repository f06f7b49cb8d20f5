package dev.tidings.cli.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tidings.cli.workspace.CliException;

class TimeArgumentTest {

    static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "2026-01-31T09:00:00Z, 2026-01-31T09:00:00Z",
            "2026-01-31T09:00:00.250Z, 2026-01-31T09:00:00.250Z",
            "2026-01-31T10:00:00+01:00, 2026-01-31T09:00:00Z",
            "2026-01-30T22:00:00-05:00, 2026-01-31T03:00:00Z" })
    void readsIso8601InstantsWithAZoneOrAnOffset(String text, String expected) {
        assertThat(TimeArgument.parse("--from", text, NOW)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "-15m, 2026-01-31T11:45:00Z",
            "-2h, 2026-01-31T10:00:00Z",
            "-1h30m, 2026-01-31T10:30:00Z",
            "-2d, 2026-01-29T12:00:00Z",
            "-90s, 2026-01-31T11:58:30Z",
            "-PT45M, 2026-01-31T11:15:00Z",
            "' -15m ', 2026-01-31T11:45:00Z" })
    void readsTimesBeforeNowAsOffsetsFromTheGivenNow(String text, String expected) {
        assertThat(TimeArgument.parse("--from", text, NOW)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = { "now", "NOW", " Now " })
    void readsNowInAnyCaseAsTheGivenNow(String text) {
        assertThat(TimeArgument.parse("--to", text, NOW)).isEqualTo(NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = { "yesterday", "15m", "+15m", "-", "-0m", "-15x", "2026-01-31T09:00:00", "2026-01-31",
            "1738314000", "", "-999999999999d" })
    void refusesAnythingElseNamingTheOptionAndTheAcceptedForms(String text) {
        assertThatThrownBy(() -> TimeArgument.parse("--from", text, NOW))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("--from '" + text + "' is not a time")
                .hasMessageContaining("2026-01-31T09:00:00Z", "-15m", "now");
    }

    @Test
    void namesTheOptionTheTextCameFrom() {
        assertThatThrownBy(() -> TimeArgument.parse("--to", "later", NOW))
                .hasMessageStartingWith("--to 'later' is not a time");
    }
}

package dev.tidings.cli.option;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationFormatTest {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
            "PT0.5S, 500ms",
            "PT10M, 10m",
            "PT1M30S, 1m30s",
            "PT1H30M, 1h30m",
            "PT48H, 2d",
            "PT0S, 0s" })
    void writesDurationsTheWayTheConverterReadsThem(String iso, String expected) {
        Duration duration = Duration.parse(iso);

        assertThat(DurationFormat.format(duration)).isEqualTo(expected);
        if (!duration.isZero()) {
            assertThat(DurationConverter.parse(expected)).isEqualTo(duration);
        }
    }
}

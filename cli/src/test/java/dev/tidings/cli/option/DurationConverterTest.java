package dev.tidings.cli.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "500ms, PT0.5S",
            "90s, PT1M30S",
            "15m, PT15M",
            "1h, PT1H",
            "1h30m, PT1H30M",
            "2d, PT48H",
            "PT2H, PT2H",
            "pt45s, PT45S",
            " 1H , PT1H" })
    void readsDurationsTheWayPeopleWriteThemAndIso8601(String text, String expected) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1", "h", "1 hour", "1h-5m", "-1h", "PTxH", "1.5h" })
    void rejectsTextThatIsNotADurationNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("90s, 15m, 1h");
    }

    @ParameterizedTest
    @ValueSource(strings = { "0s", "0m0s", "PT0S", "PT-1H" })
    void rejectsZeroAndNegativeDurations(String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("not a positive duration");
    }
}

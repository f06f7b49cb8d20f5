package dev.tidings.cli.option;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way people write them ({@code 90s}, {@code 15m}, {@code 1h}, {@code 1h30m},
 * {@code 2d}, {@code 500ms}) or as ISO-8601 ({@code PT1H}); only positive durations.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** The duration the text stands for; {@link TypeConversionException} naming the accepted forms otherwise. */
    public static Duration parse(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        if (text.startsWith("p")) {
            try {
                duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            catch (DateTimeParseException ex) {
                throw invalid(value);
            }
        }
        else if (WHOLE.matcher(text).matches()) {
            duration = Duration.ZERO;
            Matcher part = PART.matcher(text);
            while (part.find()) {
                duration = duration.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
            }
        }
        else {
            throw invalid(value);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration");
        }
        return duration;
    }

    private static Duration unit(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException(unit);
        };
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("'" + value
                + "' is not a duration: write e.g. 90s, 15m, 1h, 1h30m, 2d or PT1H");
    }
}

package dev.tidings.cli.option;

import java.time.Duration;

/** Writes durations the way {@link DurationConverter} reads them: {@code 500ms}, {@code 90s} as {@code 1m30s}, {@code 10m}, {@code 1h30m}. */
public final class DurationFormat {

    private DurationFormat() {
    }

    public static String format(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return "0s";
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        append(text, duration.toDaysPart(), "d");
        append(text, duration.toHoursPart(), "h");
        append(text, duration.toMinutesPart(), "m");
        append(text, duration.toSecondsPart(), "s");
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }
}

package dev.tidings.cli.option;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import dev.tidings.cli.workspace.CliException;

import picocli.CommandLine.TypeConversionException;

/**
 * Reads a point in time the way an operator writes it: an ISO-8601 instant with a zone
 * ({@code 2026-01-31T09:00:00Z}, {@code 2026-01-31T10:00:00+01:00}), a time before now
 * ({@code -15m}, {@code -2h}, {@code -1h30m}, {@code -2d}, {@code -PT90M}) or {@code now}.
 *
 * <p>Relative times are resolved against a {@code now} the caller passes, so that {@code --from -1h
 * --to now} is exactly one hour whatever the clock did between the two reads.
 */
public final class TimeArgument {

    private TimeArgument() {
    }

    /**
     * The instant {@code text} stands for.
     *
     * @param option the option it came from, named in the error, e.g. {@code --from}
     * @param text what the user wrote
     * @param now the instant {@code now} and relative times refer to
     * @throws CliException naming the accepted forms when {@code text} is none of them
     */
    public static Instant parse(String option, String text, Instant now) {
        String value = text.strip();
        if (value.toLowerCase(Locale.ROOT).equals("now")) {
            return now;
        }
        if (value.startsWith("-")) {
            try {
                return now.minus(DurationConverter.parse(value.substring(1)));
            }
            catch (TypeConversionException | DateTimeException | ArithmeticException ex) {
                throw invalid(option, text);
            }
        }
        try {
            return Instant.parse(value);
        }
        catch (DateTimeParseException notAnInstant) {
            // An explicit offset other than Z, e.g. +01:00, on JDKs whose ISO_INSTANT refuses it.
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw invalid(option, text);
        }
    }

    private static CliException invalid(String option, String text) {
        return new CliException(option + " '" + text + "' is not a time: write an ISO-8601 instant with a zone "
                + "(2026-01-31T09:00:00Z, 2026-01-31T10:00:00+01:00), a time before now (-15m, -2h, -1h30m, -2d) "
                + "or now");
    }
}

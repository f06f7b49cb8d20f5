package dev.tidings.router.routes;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where a new route begins reading the partitions of topics that existed when it first ran. A topic
 * created later is always read from its first record.
 *
 * @param kind latest, earliest or at an instant
 * @param instant the first record time to read, for {@link Kind#INSTANT}
 */
public record StartPosition(Kind kind, @Nullable Instant instant) {

    /** The kinds of start positions. */
    public enum Kind { LATEST, EARLIEST, INSTANT }

    public static final StartPosition LATEST = new StartPosition(Kind.LATEST, null);
    public static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, null);

    /** From the first record written at or after {@code instant}. */
    public static StartPosition at(Instant instant) {
        return new StartPosition(Kind.INSTANT, instant);
    }
}

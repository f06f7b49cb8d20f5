package dev.tidings.router.routes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;

/** Reads a route's {@code start}: {@code latest}, {@code earliest} or an ISO-8601 instant with an offset. */
final class StartPositions {

    private StartPositions() {
    }

    static @Nullable StartPosition parse(String text, Node node, ProblemSink problems) {
        if (text.equals("latest")) {
            return StartPosition.LATEST;
        }
        if (text.equals("earliest")) {
            return StartPosition.EARLIEST;
        }
        try {
            return StartPosition.at(Instant.parse(text));
        }
        catch (DateTimeParseException notUtc) {
            try {
                return StartPosition.at(OffsetDateTime.parse(text).toInstant());
            }
            catch (DateTimeParseException ex) {
                problems.problem(node, "'start' must be latest, earliest or an ISO-8601 instant such as "
                        + "2026-01-31T08:00:00Z");
                return null;
            }
        }
    }
}

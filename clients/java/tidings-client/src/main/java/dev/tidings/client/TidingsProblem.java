package dev.tidings.client;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem the publisher answered with, for a whole request or for one item of a batch.
 *
 * @param kind what it means for the caller, from {@code status}
 * @param status the HTTP status (an item's own status in a batch)
 * @param type the problem type, {@code https://tidings.dev/problems/<slug>}; {@code about:blank}
 *     for problems that are not the publisher's own (415, or a proxy's error)
 * @param title short, the same for every problem of the type
 * @param detail what went wrong with this request
 * @param field the JSON path of the offending member for a 422 ({@code target.ids[0]},
 *     {@code notifications[1].event} in a batch), or {@code null}
 * @param id the notification id the problem concerns (a 409's, or the id to retry a 503 with), or
 *     {@code null}
 * @param retryAfter how long the publisher asked to wait before retrying ({@code Retry-After}), or
 *     {@code null}
 */
public record TidingsProblem(ProblemKind kind, int status, URI type, String title, String detail,
        @Nullable String field, @Nullable String id, @Nullable Duration retryAfter) implements ItemResult {

    /** The type of problems that have none of their own. */
    public static final URI ABOUT_BLANK = URI.create("about:blank");

    /** {@code status}, {@code title} and {@code detail}, with the field, the id and the retry delay when present. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(status).append(' ').append(title).append(": ").append(detail);
        if (field != null) {
            text.append(" [field ").append(field).append(']');
        }
        if (id != null) {
            text.append(" [id ").append(id).append(']');
        }
        if (retryAfter != null) {
            text.append(" [retry after ").append(retryAfter.toSeconds()).append(" s]");
        }
        return text.toString();
    }
}

package dev.tidings.router.routes;

import java.util.List;

import com.jayway.jsonpath.JsonPath;

/**
 * A notification's event name: literal text with {@code ${JSONPATH}} parts taken from the record's
 * value ({@code grade.published}, {@code ${$.type}}, {@code shop.${$.kind}}).
 *
 * @param parts literal strings and JSONPaths, in order
 */
public record EventTemplate(List<Object> parts) {

    public EventTemplate {
        parts = List.copyOf(parts);
        for (Object part : parts) {
            if (!(part instanceof String) && !(part instanceof JsonPath)) {
                throw new IllegalArgumentException("a part is a String or a JsonPath");
            }
        }
    }

    /** Whether the event is the same for every record. */
    public boolean literal() {
        return parts.stream().allMatch(String.class::isInstance);
    }
}

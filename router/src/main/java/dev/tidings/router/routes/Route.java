package dev.tidings.router.routes;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.jspecify.annotations.Nullable;

/**
 * One checked route: which topics it reads and how a record becomes notifications.
 *
 * @param name unique in its file; names the route's consumer group, metrics, logs and DLQ headers
 * @param topics the topics it reads: one topic's name quoted, or the {@code topic-pattern}
 * @param format how record values are encoded
 * @param filter a predicate over the record's value, key and headers, as a JSONPath filter over
 *     {@link #filterDocument} (the record passes when the result is not empty), or {@code null} for every record
 * @param event the event name
 * @param target who receives the notifications
 * @param payload what they carry
 * @param id where the notification id comes from, or {@code null} for one derived from the
 *     route, topic, partition and offset
 * @param expiresAfter the notifications' time to live, or {@code null}
 * @param start where the route begins on topics that existed when it first ran
 * @param deadLetterTopic where records that cannot be routed go, with the reason in headers
 */
public record Route(String name, Pattern topics, Format format, @Nullable JsonPath filter, EventTemplate event,
        TargetSpec target, PayloadSpec payload, @Nullable Selector id, @Nullable Duration expiresAfter,
        StartPosition start, String deadLetterTopic) {

    /** The default dead-letter topic of a route. */
    public static String defaultDeadLetterTopic(String routeName) {
        return "tidings.router." + routeName + ".dlq";
    }

    /**
     * What a compiled filter is read over: the value (in a one-item array, so that the filter selects it
     * or not), the key and the headers, each header its last value.
     */
    public static Map<String, Object> filterDocument(@Nullable Object value, @Nullable String key,
            Map<String, String> headers) {
        Map<String, Object> document = new HashMap<>(4);
        document.put("value", Collections.singletonList(value));
        document.put("key", key);
        document.put("headers", headers);
        return document;
    }

    /** The consumer group of a route: every router instance running it shares its partitions. */
    public String consumerGroup() {
        return "tidings-router." + name;
    }
}

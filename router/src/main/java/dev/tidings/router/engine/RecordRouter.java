package dev.tidings.router.engine;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import dev.tidings.router.decode.JsonValueDecoder;
import dev.tidings.router.decode.RouteFailure;
import dev.tidings.router.decode.SourceUnavailableException;
import dev.tidings.router.decode.ValueDecoder;
import dev.tidings.router.routes.Route;
import dev.tidings.router.routes.Selector;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationCodec;
import dev.tidings.schema.NotificationRules;
import dev.tidings.schema.TargetType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Turns one source record into the notification records of one route, without any I/O: filter,
 * event, targets, payload, id and expiry, each checked against {@link NotificationRules} so that no
 * record the router writes is poison to a gateway.
 *
 * <p>Contracts: the records are keyed and split exactly as the publisher writes them (one record per
 * address, keyed {@link Address#routingKey()}, every one with the same notification id); without an
 * {@code id} selector the id is a name-based UUID of the route, topic, partition and offset, so
 * routing the same record again writes the same id and clients drop the second copy.
 *
 * <p>Thread-safe.
 */
public final class RecordRouter {

    private static final Configuration PATHS = Configuration.defaultConfiguration();

    private final Route route;
    private final ValueDecoder decoder;
    private final String notificationsTopic;
    private final int maxPayloadBytes;
    private final Clock clock;

    public RecordRouter(Route route, ValueDecoder decoder, String notificationsTopic, int maxPayloadBytes,
            Clock clock) {
        this.route = route;
        this.decoder = decoder;
        this.notificationsTopic = notificationsTopic;
        this.maxPayloadBytes = maxPayloadBytes;
        this.clock = clock;
    }

    /** The id a record gets when its route has no {@code id} selector. */
    public static String derivedId(String route, String topic, int partition, long offset) {
        return UUID.nameUUIDFromBytes((route + "\u0000" + topic + "\u0000" + partition + "\u0000" + offset)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * What the route does with {@code record}.
     *
     * @throws SourceUnavailableException if the value cannot be decoded for now (retry later)
     */
    public Outcome route(ConsumerRecord<byte[], byte[]> record) {
        try {
            Object value = decoder.decode(record.topic(), record.value());
            if (route.filter() != null && !passes(route.filter(), filterDocument(record, value))) {
                return new Outcome.Filtered();
            }
            return new Outcome.Routed(notifications(record, value));
        }
        catch (RouteFailure failure) {
            return new Outcome.DeadLettered(failure);
        }
    }

    private static Map<String, Object> filterDocument(ConsumerRecord<byte[], byte[]> record, @Nullable Object value) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return Route.filterDocument(value, key, headers);
    }

    private static boolean passes(JsonPath filter, Map<String, Object> document) {
        try {
            List<?> matched = filter.read(document, PATHS);
            return !matched.isEmpty();
        }
        catch (RuntimeException ex) {
            throw new RouteFailure("filter-failed", "the filter could not be evaluated: " + ex.getMessage(), ex);
        }
    }

    private List<ProducerRecord<byte[], byte[]>> notifications(ConsumerRecord<byte[], byte[]> record,
            @Nullable Object value) {
        String event = event(value);
        List<String> targetIds = targetIds(record, value);
        String payload = payload(record, value);
        String id = id(record, value);
        Instant now = clock.instant();
        Instant expiresAt = route.expiresAfter() == null ? null : now.plus(route.expiresAfter());
        List<Address> addresses = Address.of(new dev.tidings.schema.Target(route.target().type(), targetIds));
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(addresses.size());
        for (Address address : addresses) {
            Notification notification = Notification.newBuilder()
                    .setId(id)
                    .setEvent(event)
                    .setTarget(address.target())
                    .setPayload(payload)
                    .setPublishedAt(now)
                    .setExpiresAt(expiresAt)
                    .setSource("router:" + route.name())
                    .setReplayOf(null)
                    .build();
            out.add(new ProducerRecord<>(notificationsTopic, address.routingKey().getBytes(StandardCharsets.UTF_8),
                    NotificationCodec.get().encode(notification)));
        }
        return out;
    }

    private String event(@Nullable Object value) {
        StringBuilder event = new StringBuilder();
        for (Object part : route.event().parts()) {
            if (part instanceof JsonPath path) {
                Object found = read(path, value, "event");
                if (!(found instanceof String) && !(found instanceof Number)) {
                    throw new RouteFailure("bad-event", "event path " + path.getPath() + " is not a string");
                }
                event.append(found);
            }
            else {
                event.append(part);
            }
        }
        String problem = NotificationRules.eventProblem(event.toString());
        if (problem != null) {
            throw new RouteFailure("bad-event", "event '" + event + "' " + problem);
        }
        return event.toString();
    }

    private List<String> targetIds(ConsumerRecord<byte[], byte[]> record, @Nullable Object value) {
        if (route.target().type() == TargetType.BROADCAST) {
            return List.of();
        }
        Selector selector = route.target().ids();
        Object found = select(selector, record, value, "target ids");
        List<?> raw = found instanceof List<?> list ? list : java.util.Collections.singletonList(found);
        Set<String> ids = new LinkedHashSet<>();
        for (Object item : raw) {
            if (!(item instanceof String) && !(item instanceof Number)) {
                throw new RouteFailure("bad-target", "target ids at " + selector + " must be strings, found "
                        + describe(item));
            }
            String id = item.toString();
            String problem = NotificationRules.targetIdProblem(id);
            if (problem != null) {
                throw new RouteFailure("bad-target", "target id '" + id + "' " + problem);
            }
            ids.add(id);
        }
        if (ids.isEmpty()) {
            throw new RouteFailure("bad-target", "no target ids at " + selector);
        }
        if (ids.size() > NotificationRules.MAX_TARGET_IDS) {
            throw new RouteFailure("bad-target", ids.size() + " target ids at " + selector + "; at most "
                    + NotificationRules.MAX_TARGET_IDS);
        }
        return new ArrayList<>(ids);
    }

    private String payload(ConsumerRecord<byte[], byte[]> record, @Nullable Object value) {
        Object payload;
        if (route.payload().whole() != null) {
            payload = select(route.payload().whole(), record, value, "payload");
            if (!(payload instanceof Map)) {
                throw new RouteFailure("bad-payload", "the payload at " + route.payload().whole()
                        + " is not an object but " + describe(payload));
            }
        }
        else {
            Map<String, Object> fields = new LinkedHashMap<>();
            route.payload().fields().forEach((name, selector) ->
                    fields.put(name, select(selector, record, value, "payload." + name)));
            payload = fields;
        }
        String text;
        try {
            text = JsonValueDecoder.JSON.writeValueAsString(payload);
        }
        catch (JacksonException ex) {
            throw new RouteFailure("bad-payload", "the payload cannot be written as JSON: " + ex.getOriginalMessage());
        }
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxPayloadBytes) {
            throw new RouteFailure("payload-too-large", "the payload is " + size + " bytes; the limit is "
                    + maxPayloadBytes);
        }
        return text;
    }

    private String id(ConsumerRecord<byte[], byte[]> record, @Nullable Object value) {
        if (route.id() == null) {
            return derivedId(route.name(), record.topic(), record.partition(), record.offset());
        }
        Object found = select(route.id(), record, value, "id");
        if (!(found instanceof String) && !(found instanceof Number)) {
            throw new RouteFailure("bad-id", "the id at " + route.id() + " is not a string but " + describe(found));
        }
        String problem = NotificationRules.idProblem(found.toString());
        if (problem != null) {
            throw new RouteFailure("bad-id", "the id '" + found + "' " + problem);
        }
        return found.toString();
    }

    private static @Nullable Object select(Selector selector, ConsumerRecord<byte[], byte[]> record,
            @Nullable Object value, String what) {
        if (selector instanceof Selector.ValuePath path) {
            return read(path.path(), value, what);
        }
        if (selector instanceof Selector.Header header) {
            Header last = record.headers().lastHeader(header.name());
            if (last == null || last.value() == null) {
                throw new RouteFailure("missing-field", what + ": the record has no header " + header.name());
            }
            return new String(last.value(), StandardCharsets.UTF_8);
        }
        if (record.key() == null) {
            throw new RouteFailure("missing-field", what + ": the record has no key");
        }
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    private static @Nullable Object read(JsonPath path, @Nullable Object value, String what) {
        if (value == null) {
            throw new RouteFailure("missing-field", what + ": the value is null");
        }
        try {
            Object found = path.read(value, PATHS);
            if (found == null) {
                throw new RouteFailure("missing-field", what + ": " + path.getPath() + " is null");
            }
            return found;
        }
        catch (PathNotFoundException ex) {
            throw new RouteFailure("missing-field", what + ": no " + path.getPath() + " in the value");
        }
        catch (RouteFailure ex) {
            throw ex;
        }
        catch (RuntimeException ex) {
            throw new RouteFailure("missing-field", what + ": " + path.getPath() + " cannot be read: "
                    + ex.getMessage(), ex);
        }
    }

    private static String describe(@Nullable Object value) {
        return value == null ? "null" : value instanceof Map ? "an object" : value instanceof List ? "an array"
                : value instanceof String ? "a string" : value instanceof Number ? "a number" : "a " + value.getClass()
                        .getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}

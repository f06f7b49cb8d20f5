package dev.tidings.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Notifications for JVM services that produce straight to {@link Topics#NOTIFICATIONS}: a builder
 * that checks what the publisher API checks ({@link NotificationRules}) and writes what it writes, one
 * record per target id keyed by its {@link Address#routingKey()}, all with the same notification id.
 *
 * <pre>{@code
 * for (var record : Notifications.toGroup("Class:201901").event("grade.published")
 *         .payload("{\"course\":\"math\"}").source("grades-service").records()) {
 *     producer.send(record);   // a KafkaProducer<String, Notification> with NotificationSerializer
 * }
 * }</pre>
 *
 * <p>A record the builder made never is poison to a gateway; a mistake is an
 * {@link InvalidNotificationException} naming the field, before anything is sent.
 */
public final class Notifications {

    private Notifications() {
    }

    /** A notification to one or more users. */
    public static Builder toUser(String... userIds) {
        return new Builder(TargetType.USER, Arrays.asList(userIds));
    }

    /** A notification to users. */
    public static Builder toUsers(Collection<String> userIds) {
        return new Builder(TargetType.USER, new ArrayList<>(userIds));
    }

    /** A notification to every member of one or more groups. */
    public static Builder toGroup(String... groupIds) {
        return new Builder(TargetType.GROUP, Arrays.asList(groupIds));
    }

    /** A notification to every member of groups. */
    public static Builder toGroups(Collection<String> groupIds) {
        return new Builder(TargetType.GROUP, new ArrayList<>(groupIds));
    }

    /** A notification to everyone connected. */
    public static Builder toEveryone() {
        return new Builder(TargetType.BROADCAST, List.of());
    }

    /** Builds the records of one notification. Not thread-safe; {@link #records()} may be called again. */
    public static final class Builder {

        private static final JsonFactory JSON = new JsonFactory();

        private final TargetType type;
        private final List<String> targetIds;
        private @Nullable String event;
        private @Nullable String payload;
        private @Nullable String id;
        private @Nullable Duration expiresAfter;
        private String source = "unknown";
        private String topic = Topics.NOTIFICATIONS;
        private int maxPayloadBytes = NotificationRules.DEFAULT_MAX_PAYLOAD_BYTES;
        private Clock clock = Clock.systemUTC();

        private Builder(TargetType type, List<String> targetIds) {
            this.type = type;
            this.targetIds = targetIds;
        }

        /** The event name, e.g. {@code grade.published}. Required. */
        public Builder event(String event) {
            this.event = event;
            return this;
        }

        /** The payload: one JSON object, as text. Required. */
        public Builder payload(String json) {
            this.payload = json;
            return this;
        }

        /** The notification id clients de-duplicate by; default a new random UUID for each {@link #records()}. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** Time to live: after it the notification is no longer delivered. Between 1 s and {@link NotificationRules#MAX_TTL}. */
        public Builder expiresAfter(Duration ttl) {
            this.expiresAfter = ttl;
            return this;
        }

        /** Who publishes it (the service's name), as the publisher records the caller's subject. */
        public Builder source(String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The notifications topic; default {@link Topics#NOTIFICATIONS}. */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /** The largest payload accepted, as the publisher's {@code tidings.publisher.max-payload-bytes}. */
        public Builder maxPayloadBytes(int bytes) {
            this.maxPayloadBytes = bytes;
            return this;
        }

        /** The clock of {@code publishedAt} (tests). */
        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * The records to send: one per distinct target id (one for a broadcast), keyed by its routing
         * key, every one with the same id.
         *
         * @throws InvalidNotificationException naming the first field that breaks the rules
         */
        public List<ProducerRecord<String, Notification>> records() {
            List<String> ids = checkedTargetIds();
            String checkedEvent = checkedEvent();
            String checkedPayload = checkedPayload();
            String notificationId = id != null ? checkedId(id) : UUID.randomUUID().toString();
            if (expiresAfter != null && (expiresAfter.compareTo(Duration.ofSeconds(1)) < 0
                    || expiresAfter.compareTo(NotificationRules.MAX_TTL) > 0)) {
                throw new InvalidNotificationException("expiresAfter", "must be between 1 s and "
                        + NotificationRules.MAX_TTL.toDays() + " days");
            }
            Instant now = clock.instant();
            List<Address> addresses = Address.of(new Target(type, ids));
            List<ProducerRecord<String, Notification>> records = new ArrayList<>(addresses.size());
            for (Address address : addresses) {
                Notification notification = Notification.newBuilder()
                        .setId(notificationId)
                        .setEvent(checkedEvent)
                        .setTarget(address.target())
                        .setPayload(checkedPayload)
                        .setPublishedAt(now)
                        .setExpiresAt(expiresAfter == null ? null : now.plus(expiresAfter))
                        .setSource(source)
                        .setReplayOf(null)
                        .build();
                records.add(new ProducerRecord<>(topic, address.routingKey(), notification));
            }
            return records;
        }

        private List<String> checkedTargetIds() {
            if (type == TargetType.BROADCAST) {
                return List.of();
            }
            if (targetIds.isEmpty()) {
                throw new InvalidNotificationException("target.ids", "must name at least one id");
            }
            if (targetIds.size() > NotificationRules.MAX_TARGET_IDS) {
                throw new InvalidNotificationException("target.ids",
                        "must name at most " + NotificationRules.MAX_TARGET_IDS + " ids");
            }
            Set<String> distinct = new LinkedHashSet<>();
            for (int i = 0; i < targetIds.size(); i++) {
                String target = targetIds.get(i);
                String problem = target == null ? "must be a non-blank string" : NotificationRules.targetIdProblem(target);
                if (problem != null) {
                    throw new InvalidNotificationException("target.ids[" + i + "]", problem);
                }
                distinct.add(target);
            }
            return new ArrayList<>(distinct);
        }

        private String checkedEvent() {
            if (event == null) {
                throw new InvalidNotificationException("event", "is required");
            }
            String problem = NotificationRules.eventProblem(event);
            if (problem != null) {
                throw new InvalidNotificationException("event", problem);
            }
            return event;
        }

        private static String checkedId(String id) {
            String problem = NotificationRules.idProblem(id);
            if (problem != null) {
                throw new InvalidNotificationException("id", problem);
            }
            return id;
        }

        private String checkedPayload() {
            if (payload == null) {
                throw new InvalidNotificationException("payload", "is required");
            }
            int size = payload.getBytes(StandardCharsets.UTF_8).length;
            if (size > maxPayloadBytes) {
                throw new InvalidNotificationException("payload", "is " + size + " bytes; the limit is "
                        + maxPayloadBytes);
            }
            try (JsonParser parser = JSON.createParser(payload)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new InvalidNotificationException("payload", "must be a JSON object");
                }
                parser.skipChildren();
                if (parser.nextToken() != null) {
                    throw new InvalidNotificationException("payload", "must be one JSON object, with nothing after it");
                }
            }
            catch (IOException ex) {
                throw new InvalidNotificationException("payload", "is not valid JSON: " + ex.getMessage());
            }
            return payload;
        }
    }
}

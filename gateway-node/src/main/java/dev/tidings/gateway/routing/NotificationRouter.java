package dev.tidings.gateway.routing;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.RecoveryWindow;
import dev.tidings.gateway.session.ClientSession;
import dev.tidings.gateway.session.DeliveryBatcher;
import dev.tidings.gateway.session.RecordLatency;
import dev.tidings.gateway.session.SessionIndex;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.TargetType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.stereotype.Component;

/**
 * Routes each record of the topic to the local sessions it is addressed to: every session for a
 * broadcast, the user's sessions, or the group members' sessions — a map lookup per {@link Address}. The frame
 * is encoded once and the same bytes queued to every session. It takes a poll's records at once:
 * their deliveries are gathered per event loop and handed off after the last one
 * ({@link DeliveryBatcher#handOff}), and a record that cannot be delivered is skipped as a
 * {@link PoisonRecords poison record} without leaving the loop, so a flood of them costs a few
 * instructions each and never fails the poll.
 *
 * <p>Runs on the node's single Kafka consumer thread ({@code @NotThreadSafe} by confinement).
 */
@Component
public class NotificationRouter implements BatchMessageListener<String, Notification> {

    private final SessionIndex sessions;
    private final DeliveryBatcher batcher;
    private final FrameEncoder frames;
    private final NodePosition position;
    private final RecoveryWindow window;
    private final Counter broadcastDeliveries;
    private final Counter userDeliveries;
    private final Counter groupDeliveries;
    private final Counter expired;
    private final RecordLatency routed;
    private final PoisonRecords poison;

    public NotificationRouter(SessionIndex sessions, DeliveryBatcher batcher, FrameEncoder frames,
            NodePosition position, RecoveryWindow window, PoisonRecords poison, MeterRegistry meters) {
        this.poison = poison;
        this.window = window;
        this.sessions = sessions;
        this.batcher = batcher;
        this.frames = frames;
        this.position = position;
        this.broadcastDeliveries = deliveries(meters, "broadcast");
        this.userDeliveries = deliveries(meters, "user");
        this.groupDeliveries = deliveries(meters, "group");
        this.expired = Counter.builder("tidings.gateway.expired")
                .description("Records not delivered because their expiresAt had passed").register(meters);
        this.routed = RecordLatency.of(meters, "routed");
    }

    /**
     * A router with a position, a recovery window and meters of its own over the node's sessions and a
     * batcher: the node's warm-up routes records it makes itself through one, addressed to its own
     * sessions, so that the code live records run (this class as the consumer thread calls it, the window,
     * the batcher) is compiled before the node reports ready, while the node's position, window and meters
     * see none of it.
     */
    public static NotificationRouter detached(SessionIndex sessions, DeliveryBatcher batcher, FrameEncoder frames,
            NodePosition position, RecoveryWindow window, MeterRegistry meters) {
        return new NotificationRouter(sessions, batcher, frames, position, window,
                new PoisonRecords(meters, Duration.ofMinutes(1)), meters);
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, Notification>> records) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, Notification> record = records.get(i);
            try {
                route(record);
            }
            catch (RuntimeException ex) {
                // Nothing about a record gets better by retrying it, and a failed poll would be
                // redelivered whole: skip this one, go on with the rest.
                position.advance(record.partition(), record.offset());
                poison.skip(record.topic(), String.valueOf(ex.getMessage()));
            }
        }
        batcher.handOff();
    }

    private void route(ConsumerRecord<String, Notification> record) {
        Notification notification = record.value();
        if (notification == null) {
            position.advance(record.partition(), record.offset());
            return;
        }
        byte[] base = frames.notification(notification);
        long now = System.currentTimeMillis();
        long expiresAt = notification.getExpiresAt() == null ? Long.MAX_VALUE
                : notification.getExpiresAt().toEpochMilli();
        List<Address> addresses = Address.of(notification.getTarget());
        // Window first, position second: a resume that sees the new position finds the record in the window.
        window.append(addresses,
                new RecoveryWindow.Entry(record.partition(), record.offset(), record.timestamp(), now, expiresAt,
                        base));
        position.advance(record.partition(), record.offset());
        routed.record(record.timestamp(), now);
        if (expiresAt < now) {
            expired.increment();
            return;
        }
        deliver(notification.getTarget().getType(), addresses, base, record.partition(), record.offset(),
                record.timestamp());
    }

    /**
     * Gathers the record's delivery to its local addressees. The frame with its cursor is built only
     * when the node has any: with users spread over the nodes, most user and group records have no
     * addressee on a given node, which then only windows them.
     */
    private void deliver(TargetType type, List<Address> addresses, byte[] base, int partition, long offset,
            long timestamp) {
        switch (type) {
            case BROADCAST -> {
                if (sessions.size() > 0) {
                    batcher.broadcast(withCursor(base, partition, offset), partition, offset, timestamp,
                            broadcastDeliveries);
                }
            }
            case USER -> dispatch(addressees(addresses), base, partition, offset, timestamp, userDeliveries);
            case GROUP -> dispatch(addressees(addresses), base, partition, offset, timestamp, groupDeliveries);
        }
    }

    private void dispatch(Collection<ClientSession> addressees, byte[] base, int partition, long offset,
            long timestamp, Counter delivered) {
        if (!addressees.isEmpty()) {
            batcher.dispatch(addressees, withCursor(base, partition, offset), partition, offset, timestamp,
                    delivered);
        }
    }

    /** The frame with the cursor that follows the record: the node's position advanced past it. */
    private byte[] withCursor(byte[] base, int partition, long offset) {
        return FrameEncoder.withCursor(base, position.encodedPast(partition, offset));
    }

    /**
     * The sessions listening on any of the addresses, each once (a member of several addressed groups
     * gets the frame once); the index's own set when there is one address, the common case.
     */
    private Collection<ClientSession> addressees(List<Address> addresses) {
        if (addresses.size() == 1) {
            return sessions.at(addresses.get(0));
        }
        Set<ClientSession> union = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Address address : addresses) {
            union.addAll(sessions.at(address));
        }
        return union;
    }

    private static Counter deliveries(MeterRegistry meters, String type) {
        return Counter.builder("tidings.gateway.deliveries").tag("target", type)
                .description("Frames queued to sessions, by target type").register(meters);
    }
}

package dev.tidings.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.tidings.common.cursor.CursorCodec;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.RecoveryWindow;
import dev.tidings.gateway.session.ClientSession;
import dev.tidings.gateway.session.SessionRegistry;
import dev.tidings.schema.Notification;
import dev.tidings.schema.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.stereotype.Component;

/**
 * Routes each record of the topic to the local sessions it is addressed to: every session for a
 * broadcast, the user's sessions, or the group members' sessions — each a map lookup. The frame
 * is encoded once and the same bytes queued to every session. The deliveries of a poll's records
 * are gathered per event loop and handed off at the end of the poll ({@link #endOfPoll}).
 *
 * <p>Runs on the node's single Kafka consumer thread ({@code @NotThreadSafe} by confinement).
 */
@Component
public class NotificationRouter implements MessageListener<String, Notification> {

    private final SessionRegistry sessions;
    private final FrameEncoder frames;
    private final NodePosition position;
    private final RecoveryWindow window;
    private final Counter broadcastDeliveries;
    private final Counter userDeliveries;
    private final Counter groupDeliveries;
    private final Counter expired;

    public NotificationRouter(SessionRegistry sessions, FrameEncoder frames, NodePosition position,
            RecoveryWindow window, MeterRegistry meters) {
        this.window = window;
        this.sessions = sessions;
        this.frames = frames;
        this.position = position;
        this.broadcastDeliveries = deliveries(meters, "broadcast");
        this.userDeliveries = deliveries(meters, "user");
        this.groupDeliveries = deliveries(meters, "group");
        this.expired = Counter.builder("tidings.gateway.expired")
                .description("Records not delivered because their expiresAt had passed").register(meters);
    }

    @Override
    public void onMessage(ConsumerRecord<String, Notification> record) {
        Notification notification = record.value();
        if (notification == null) {
            position.advance(record.partition(), record.offset());
            return;
        }
        String base = frames.notification(notification);
        byte[] frame = FrameEncoder.withCursor(base, cursorAfter(record)).getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        long expiresAt = notification.getExpiresAt() == null ? Long.MAX_VALUE
                : notification.getExpiresAt().toEpochMilli();
        // Window first, position second: a resume that sees the new position finds the record in the window.
        window.append(notification.getTarget(),
                new RecoveryWindow.Entry(record.partition(), record.offset(), now, expiresAt, base));
        position.advance(record.partition(), record.offset());
        if (expiresAt < now) {
            expired.increment();
            return;
        }
        deliver(notification.getTarget(), frame, record.partition(), record.offset());
    }

    /**
     * Hands the deliveries gathered from this poll's records to the event loops; the container calls
     * it after every poll ({@link SessionRegistry#handOff}).
     */
    public void endOfPoll() {
        sessions.handOff();
    }

    private String cursorAfter(ConsumerRecord<String, Notification> record) {
        var snapshot = position.snapshot();
        if (snapshot == null || record.partition() >= snapshot.partitions()) {
            return null;
        }
        return CursorCodec.encode(snapshot.advancedPast(record.partition(), record.offset()));
    }

    private void deliver(Target target, byte[] frame, int partition, long offset) {
        List<String> ids = target.getIds();
        switch (target.getType()) {
            case BROADCAST -> sessions.broadcast(frame, partition, offset, broadcastDeliveries);
            case USER -> sessions.dispatch(addressees(ids, sessions::ofUser), frame, partition, offset, userDeliveries);
            case GROUP -> sessions.dispatch(addressees(ids, sessions::ofGroup), frame, partition, offset,
                    groupDeliveries);
        }
    }

    /**
     * The sessions indexed under any of the ids, each once (a member of several addressed groups gets
     * the frame once); the index's own set when there is one id, the common case.
     */
    private static Collection<ClientSession> addressees(List<String> ids,
            Function<String, Collection<ClientSession>> index) {
        if (ids.size() == 1) {
            return index.apply(ids.get(0));
        }
        Set<ClientSession> union = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String id : ids) {
            union.addAll(index.apply(id));
        }
        return union;
    }

    private static Counter deliveries(MeterRegistry meters, String type) {
        return Counter.builder("tidings.gateway.deliveries").tag("target", type)
                .description("Frames queued to sessions, by target type").register(meters);
    }
}

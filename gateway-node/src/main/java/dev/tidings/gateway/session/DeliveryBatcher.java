package dev.tidings.gateway.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the deliveries of a poll's records per event loop and hands each loop its share in one
 * task: {@link #dispatch} and {@link #broadcast} queue a record's delivery under each event loop it
 * concerns, and {@link #handOff} passes each loop everything gathered for it, in order. The consumer
 * hands off at the end of every poll, and the batcher after {@value #HAND_OFF_AFTER} deliveries and
 * before it waits on either bound of the dispatch, so a poll of a few hundred user notices wakes each
 * event loop once instead of a few hundred times, and the first record of a poll waits at most for
 * the next {@value #HAND_OFF_AFTER} to be routed.
 *
 * <p>Dispatch is bounded twice, and past either bound the dispatching thread waits, so a backlog
 * stays in Kafka as consumer lag, not in the node's memory: by the deliveries waiting for the loops
 * ({@link DispatchBacklog}), and by the bytes waiting in connections whose clients are reading
 * ({@link OutboundBudget}). Clients that stopped reading never hold the consumer: their shard's sweep
 * cuts them ({@link EventLoopShard}).
 *
 * <p>Confined to the one dispatching (Kafka consumer) thread; each delivery runs on its event loop,
 * which records the record's age as {@code tidings.gateway.latency{stage="written"}} ({@link RecordLatency}).
 */
public final class DeliveryBatcher {

    private static final Logger log = LoggerFactory.getLogger(DeliveryBatcher.class);

    static final int HAND_OFF_AFTER = 128;

    private final EventLoopShards shards;
    private final OutboundBudget outbound;
    private final DispatchBacklog backlog;
    private final RecordLatency written;
    private final Runnable handOff = this::handOff;
    /** Deliveries gathered since the last hand-off, per event loop. */
    private final Map<EventLoopShard, List<Delivery>> gathered = new IdentityHashMap<>();
    private int gatheredCount;

    DeliveryBatcher(EventLoopShards shards, OutboundBudget outbound, DispatchBacklog backlog, MeterRegistry meters) {
        this.shards = shards;
        this.outbound = outbound;
        this.backlog = backlog;
        this.written = RecordLatency.of(meters, "written");
    }

    /**
     * A batcher for another dispatching thread: the same event loops and bound on outbound bytes, its own
     * bound of {@code maxBacklog} deliveries and its own meters, so that what it dispatches neither takes the
     * node's consumer's room nor counts in the node's published latency.
     */
    public DeliveryBatcher sibling(int maxBacklog, MeterRegistry meters) {
        return new DeliveryBatcher(shards, outbound, new DispatchBacklog(maxBacklog, meters), meters);
    }

    /**
     * Gathers the delivery of a record's frame to every session of the node, one per event loop,
     * for the next {@link #handOff}. The counter is given the number of sessions that took the frame;
     * {@code timestamp} is the record's Kafka timestamp.
     */
    public void broadcast(byte[] frame, int partition, long offset, long timestamp, Counter delivered) {
        for (EventLoopShard shard : shards.all()) {
            if (!shard.isEmpty()) {
                submit(shard, shard.sessions(), frame, partition, offset, timestamp, delivered);
            }
        }
    }

    /**
     * Gathers the delivery of a record's frame to the given sessions, grouped by event loop (one per
     * loop that has any of them), for the next {@link #handOff}. The counter is given the number of
     * sessions that took the frame; {@code timestamp} is the record's Kafka timestamp.
     */
    public void dispatch(Collection<ClientSession> targets, byte[] frame, int partition, long offset, long timestamp,
            Counter delivered) {
        if (targets.isEmpty()) {
            return;
        }
        if (targets.size() == 1) {
            ClientSession only = targets.iterator().next();
            submit(only.shard(), List.of(only), frame, partition, offset, timestamp, delivered);
            return;
        }
        Map<EventLoopShard, List<ClientSession>> byShard = new IdentityHashMap<>();
        for (ClientSession session : targets) {
            byShard.computeIfAbsent(session.shard(), s -> new ArrayList<>()).add(session);
        }
        byShard.forEach((shard, sessions) -> submit(shard, sessions, frame, partition, offset, timestamp, delivered));
    }

    private void submit(EventLoopShard shard, Collection<ClientSession> sessions, byte[] frame, int partition,
            long offset, long timestamp, Counter delivered) {
        // What is gathered may be what the clients wait for, and holds room in the backlog: hand it
        // off before waiting on either bound.
        outbound.awaitRoom(handOff);
        backlog.acquire(handOff);
        gathered.computeIfAbsent(shard, s -> new ArrayList<>()).add(new Delivery(sessions, frame, partition, offset,
                timestamp, delivered));
        if (++gatheredCount >= HAND_OFF_AFTER) {
            handOff();
        }
    }

    /**
     * Hands every delivery gathered by {@link #dispatch} and {@link #broadcast} since the last
     * hand-off to its event loop, one task per loop, in the order they were gathered. Called by the
     * dispatching thread at the end of each poll; cheap when nothing is gathered.
     */
    public void handOff() {
        if (gatheredCount == 0) {
            return;
        }
        gatheredCount = 0;
        gathered.forEach((shard, batch) -> {
            try {
                shard.loop().execute(() -> run(batch));
            }
            catch (RuntimeException rejected) {
                // The loop is shutting down: its connections are closing and get nothing more.
                backlog.release(batch.size());
            }
        });
        gathered.clear();
    }

    private void run(List<Delivery> batch) {
        try {
            for (Delivery delivery : batch) {
                try {
                    delivery.run(written);
                }
                catch (RuntimeException ex) {
                    // One session's failure must not cost the sessions after it their frames.
                    log.warn("Delivery of {}@{} failed", delivery.partition(), delivery.offset(), ex);
                }
            }
        }
        finally {
            backlog.release(batch.size());
        }
    }

    /**
     * One record's frame for the sessions of one event loop, run on that loop: the frame is put on the
     * wire once ({@link WireFrame}) and each session writes a duplicate of it; then the record's age is
     * recorded as {@code written}.
     */
    private record Delivery(Collection<ClientSession> sessions, byte[] frame, int partition, long offset,
            long timestamp, Counter delivered) {

        void run(RecordLatency written) {
            int sent = 0;
            ByteBuf wire = WireFrame.text(ByteBufAllocator.DEFAULT, frame);
            try {
                for (ClientSession session : sessions) {
                    if (session.deliver(frame, wire, partition, offset)) {
                        sent++;
                    }
                }
            }
            finally {
                wire.release();
            }
            delivered.increment(sent);
            written.record(timestamp, System.currentTimeMillis());
        }
    }
}

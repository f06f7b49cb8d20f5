package dev.tidings.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.CloseReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * The node's sessions, indexed by user id and by group id so that routing a record is a map
 * lookup, never a scan of every session, and sharded by the Netty event loop each connection
 * lives on so that the records of a poll reach each loop in one hand-off ({@link #handOff}). Also enforces
 * the node's connection limits and closes each session with 1008 when its token expires.
 *
 * <p>Dispatch is bounded twice, and past either bound the dispatching (Kafka consumer) thread
 * waits, so a backlog stays in Kafka as consumer lag, not in the node's memory: at most
 * {@code tidings.gateway.max-dispatch-backlog} record deliveries may wait on the event loops, and
 * while the bytes waiting in connections whose clients are reading pass
 * {@code tidings.gateway.max-outbound-bytes} nothing new is dispatched ({@link OutboundBudget}).
 * Clients that stopped reading never hold the consumer: their shard's sweep cuts them after the
 * send timeout, or at once when the node is over its budget ({@link EventLoopShard}).
 *
 * <p>Deliveries are gathered, not handed to the event loops one record at a time: {@link #dispatch}
 * and {@link #broadcast} queue a record's delivery under each event loop it concerns, and
 * {@link #handOff} passes each loop everything gathered for it in one task. The consumer hands off at
 * the end of every poll, after {@value #HAND_OFF_AFTER} deliveries, and before it waits on either
 * bound, so a poll of a few hundred user notices wakes each event loop once instead of a few hundred
 * times, and the first record of a poll waits at most for the next {@value #HAND_OFF_AFTER} to be
 * routed.
 *
 * <p>Thread-safe for registration and lookups: concurrent maps of concurrent sets; registration and
 * removal happen on event-loop threads while the Kafka consumer thread reads. {@link #dispatch},
 * {@link #broadcast} and {@link #handOff} are confined to the one dispatching (consumer) thread.
 */
@Component
public class SessionRegistry {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    private final Set<ClientSession> all = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientSession>> byGroup = new ConcurrentHashMap<>();
    private final Map<EventLoop, EventLoopShard> shards = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final GatewayProperties properties;
    private final SessionLimits limits;
    private final Semaphore backlog;
    private final OutboundBudget outbound;
    private final long stalledAfterNanos;
    private final CatchUpBudget catchUpBudget;
    private final ScheduledThreadPoolExecutor timers;
    private final Counter slowCuts;
    private final Counter outboundPauses;
    private final RecordLatency written;

    /** Deliveries gathered since the last hand-off, per event loop; confined to the dispatching thread. */
    private final Map<EventLoopShard, List<Delivery>> gathered = new IdentityHashMap<>();
    private int gatheredCount;

    static final int HAND_OFF_AFTER = 128;

    @Autowired
    public SessionRegistry(GatewayProperties properties, MeterRegistry meters) {
        this(properties, meters, Duration.ofMillis(EventLoopShard.STALLED_MILLIS));
    }

    /**
     * With {@code stalledAfter}: how long a session's socket may take nothing before its bytes stop
     * holding the consumer and may be cut for the node's budget.
     */
    SessionRegistry(GatewayProperties properties, MeterRegistry meters, Duration stalledAfter) {
        this.properties = properties;
        this.stalledAfterNanos = stalledAfter.toNanos();
        this.limits = new SessionLimits(properties.maxQueuedFrames(), properties.maxQueuedBytes(),
                properties.sendTimeout().toMillis(), properties.maxReplay());
        this.backlog = new Semaphore(properties.maxDispatchBacklog());
        this.outbound = new OutboundBudget(properties.maxOutboundBytes(), shards.values());
        this.catchUpBudget = new CatchUpBudget(properties.resumeBufferBytes());
        this.timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "session-timers");
            thread.setDaemon(true);
            return thread;
        });
        // A closed session's expiry leaves the queue at once instead of waiting there until its token's exp.
        timers.setRemoveOnCancelPolicy(true);
        Gauge.builder("tidings.gateway.connections", count, AtomicInteger::get)
                .description("Open WebSocket sessions on this node").register(meters);
        Gauge.builder("tidings.gateway.outbound.queued.frames", this, SessionRegistry::queuedFrames)
                .description("Frames written to this node's connections and not yet taken by their sockets")
                .register(meters);
        Gauge.builder("tidings.gateway.dispatch.backlog", backlog,
                b -> properties.maxDispatchBacklog() - b.availablePermits())
                .description("Record deliveries (one per event loop per record) handed to the event loops and not yet run")
                .register(meters);
        this.slowCuts = Counter.builder("tidings.gateway.slow.client.cuts")
                .description("Sessions closed with 4408 because the client could not keep up").register(meters);
        this.outboundPauses = Counter.builder("tidings.gateway.outbound.pauses")
                .description("Times the consumer waited because the node's reading connections held "
                        + "tidings.gateway.max-outbound-bytes")
                .register(meters);
        Gauge.builder("tidings.gateway.outbound.bytes", outbound, OutboundBudget::held)
                .description("Bytes written to this node's lagging connections and not yet taken by their sockets")
                .baseUnit("bytes").register(meters);
        Gauge.builder("tidings.gateway.resume.buffer.bytes", catchUpBudget, CatchUpBudget::used)
                .description("Replayed bytes waiting in this node's connections (tidings.gateway.resume-buffer-bytes)")
                .baseUnit("bytes").register(meters);
        Gauge.builder("tidings.gateway.resume.waiting", catchUpBudget, CatchUpBudget::waiting)
                .description("Resumes waiting for room in tidings.gateway.resume-buffer-bytes").register(meters);
        Gauge.builder("tidings.gateway.session.timers", timers, t -> t.getQueue().size())
                .description("Token-expiry timers queued (one per open session)").register(meters);
        this.written = RecordLatency.of(meters, "written");
    }

    /**
     * Waits, bounded only by the clients reading, while the node's reading connections hold their
     * byte budget; hands off what is gathered before it waits.
     */
    private void awaitOutboundRoom() {
        if (!outbound.readersOverBudget()) {
            return;
        }
        handOff(); // what is gathered may be what the clients are waiting for
        outboundPauses.increment();
        while (outbound.readersOverBudget()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(EventLoopShard.SWEEP_MILLIS));
            if (Thread.currentThread().isInterrupted()) {
                return; // stopping: deliver what is in hand rather than hang
            }
        }
    }

    /**
     * Result of {@link #register}.
     *
     * @param session the registered session, or {@code null} when refused
     * @param refusal why it is refused, or {@code null} when registered
     */
    public record Registration(@Nullable ClientSession session, @Nullable CloseReason refusal) {
    }

    /**
     * Registers the session of a new connection, or says with which status to refuse it when a
     * limit is reached. {@code closeHandshake} sends a close frame with the given status. With
     * {@code holding}, the session holds live frames back from the moment it is indexed, for a
     * resume to replay what came before them.
     */
    public Registration register(Channel channel, Consumer<CloseStatus> closeHandshake, Principal principal,
            boolean holding) {
        if (count.incrementAndGet() > properties.maxConnections()) {
            count.decrementAndGet();
            return new Registration(null, CloseReason.NODE_FULL);
        }
        EventLoopShard shard = shards.computeIfAbsent(channel.eventLoop(), loop -> new EventLoopShard(loop, outbound, stalledAfterNanos));
        ClientSession session = new ClientSession(channel, shard,
                new SessionHooks(closeHandshake, slowCuts::increment, catchUpBudget), principal, limits, holding);
        boolean[] admitted = {false};
        // compute() makes check-and-add atomic per user, and atomic with removeFrom's cleanup.
        byUser.compute(principal.userId(), (user, sessions) -> {
            Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            if (set.size() < properties.maxSessionsPerUser()) {
                set.add(session);
                admitted[0] = true;
            }
            return set.isEmpty() ? null : set;
        });
        if (!admitted[0]) {
            count.decrementAndGet();
            return new Registration(null, CloseReason.TOO_MANY_SESSIONS);
        }
        for (String group : principal.groups()) {
            byGroup.compute(group, (g, sessions) -> {
                Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
                set.add(session);
                return set;
            });
        }
        all.add(session);
        shard.sessions().add(session);
        long untilExpiry = Duration.between(Instant.now(), principal.expiresAt()).toMillis();
        long cap = properties.maxTokenLifetime().toMillis();
        CloseReason reason = untilExpiry <= cap ? CloseReason.TOKEN_EXPIRED : CloseReason.TOKEN_LIFETIME;
        session.expireWith(timers.schedule(() -> session.close(reason), Math.max(0, Math.min(untilExpiry, cap)),
                TimeUnit.MILLISECONDS));
        return new Registration(session, null);
    }

    /** Removes a closed session from every index. */
    public void unregister(ClientSession session) {
        session.markClosed();
        if (!all.remove(session)) {
            return;
        }
        count.decrementAndGet();
        session.shard().sessions().remove(session);
        removeFrom(byUser, session.principal().userId(), session);
        for (String group : session.principal().groups()) {
            removeFrom(byGroup, group, session);
        }
    }

    /** Every session (broadcast). */
    public Collection<ClientSession> all() {
        return all;
    }

    /** Sessions of one user; empty when none. */
    public Collection<ClientSession> ofUser(String userId) {
        return byUser.getOrDefault(userId, Set.of());
    }

    /** Sessions of members of one group; empty when none. */
    public Collection<ClientSession> ofGroup(String groupId) {
        return byGroup.getOrDefault(groupId, Set.of());
    }

    /** Number of open sessions. */
    public int size() {
        return count.get();
    }

    /** Closes every session for the reason (shutdown). */
    public void closeAll(CloseReason reason) {
        for (ClientSession session : all) {
            session.close(reason);
        }
    }

    /**
     * Gathers the delivery of a record's frame to every session of the node, one per event loop,
     * for the next {@link #handOff}. The counter is given the number of sessions that took the frame;
     * {@code timestamp} is the record's Kafka timestamp, for the {@code written} latency ({@link RecordLatency}).
     */
    public void broadcast(byte[] frame, int partition, long offset, long timestamp, Counter delivered) {
        for (EventLoopShard shard : shards.values()) {
            if (!shard.sessions().isEmpty()) {
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
        awaitOutboundRoom();
        if (!backlog.tryAcquire()) {
            handOff(); // the permits held by gathered deliveries come back only once the loops run them
            backlog.acquireUninterruptibly();
        }
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

    private double queuedFrames() {
        long frames = 0;
        for (ClientSession session : all) {
            frames += session.queuedFrames();
        }
        return frames;
    }

    /** Stops the token-expiry timers; the node's sessions are closed by its shutdown. */
    @PreDestroy
    public void stop() {
        timers.shutdownNow();
    }

    private static void removeFrom(Map<String, Set<ClientSession>> index, String key, ClientSession session) {
        index.computeIfPresent(key, (k, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }
}

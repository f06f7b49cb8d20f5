package dev.tidings.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The node's sessions, indexed by user id and by group id so that routing a record is a map
 * lookup, never a scan of every session. Also enforces the node's connection limits and
 * closes each session with 1008 when its token expires.
 *
 * <p>Thread-safe: concurrent maps of concurrent sets; registration and removal happen on
 * WebSocket threads while the Kafka consumer thread reads.
 */
@Component
public class SessionRegistry {

    private final Set<ClientSession> all = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientSession>> byGroup = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong queuedFrames = new java.util.concurrent.atomic.AtomicLong();
    private final GatewayProperties properties;
    private final SessionLimits limits;
    private final ExecutorService closer = Executors.newFixedThreadPool(2, daemon("session-closer"));
    private final ExecutorService writer;
    private final ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(daemon("token-expiry"));
    private final Counter slowCuts;

    public SessionRegistry(GatewayProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.writer = Executors.newFixedThreadPool(properties.writerThreads(), daemon("session-writer"));
        this.limits = new SessionLimits(properties.maxQueuedFrames(), properties.maxQueuedBytes(),
                properties.sendTimeout().toMillis(), properties.maxReplay());
        Gauge.builder("tidings.gateway.connections", count, AtomicInteger::get)
                .description("Open WebSocket sessions on this node").register(meters);
        Gauge.builder("tidings.gateway.outbound.queued.frames", queuedFrames, java.util.concurrent.atomic.AtomicLong::get)
                .description("Frames queued to all sessions of this node and not yet written").register(meters);
        this.slowCuts = Counter.builder("tidings.gateway.slow.client.cuts")
                .description("Sessions closed with 4408 because the client could not keep up").register(meters);
    }

    /**
     * Result of {@link #register}.
     *
     * @param session the registered session, or {@code null} when refused
     * @param refusal the close status to refuse with, or {@code null} when registered
     */
    public record Registration(ClientSession session, CloseStatus refusal) {
    }

    /**
     * Registers a new session, or says with which status to refuse it when a limit is reached.
     * With {@code holding}, the session holds live frames back from the moment it is indexed,
     * for a resume to replay what came before them.
     */
    public Registration register(WebSocketSession webSocket, Principal principal, boolean holding) {
        if (count.incrementAndGet() > properties.maxConnections()) {
            count.decrementAndGet();
            return new Registration(null, CloseCodes.TRY_AGAIN_LATER.withReason("node is full"));
        }
        ClientSession session = new ClientSession(webSocket, principal, limits, closer, writer, s -> slowCuts.increment(),
                holding, queuedFrames);
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
            return new Registration(null, CloseCodes.POLICY.withReason("too many sessions for this user"));
        }
        for (String group : principal.groups()) {
            byGroup.compute(group, (g, sessions) -> {
                Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
                set.add(session);
                return set;
            });
        }
        all.add(session);
        long untilExpiry = Duration.between(Instant.now(), principal.expiresAt()).toMillis();
        session.expireWith(expiries.schedule(() -> session.close(CloseCodes.POLICY.withReason("token expired")),
                Math.max(0, untilExpiry), TimeUnit.MILLISECONDS));
        return new Registration(session, null);
    }

    /** Removes a closed session from every index. */
    public void unregister(ClientSession session) {
        session.markClosed();
        if (!all.remove(session)) {
            return;
        }
        count.decrementAndGet();
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

    /** Closes every session with the status (shutdown). */
    public void closeAll(CloseStatus status) {
        for (ClientSession session : all) {
            session.close(status);
        }
    }

    @PreDestroy
    void stop() {
        expiries.shutdownNow();
        closer.shutdown();
        writer.shutdown();
    }

    private static void removeFrom(Map<String, Set<ClientSession>> index, String key, ClientSession session) {
        index.computeIfPresent(key, (k, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}

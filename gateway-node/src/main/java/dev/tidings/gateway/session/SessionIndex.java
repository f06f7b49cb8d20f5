package dev.tidings.gateway.session;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.schema.Address;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The node's open sessions, indexed by user id and by group id, so that routing a record is a map
 * lookup per {@link Address}, never a scan of every session; and the node's admission limits: at most
 * {@code tidings.gateway.max-connections} sessions ({@link CloseReason#NODE_FULL}) and
 * {@code tidings.gateway.max-sessions-per-user} per user ({@link CloseReason#TOO_MANY_SESSIONS}).
 * A session's user and groups come from its token and never change.
 *
 * <p>Publishes {@code tidings.gateway.connections} and {@code tidings.gateway.outbound.queued.frames}.
 *
 * <p>Thread-safe: concurrent maps of concurrent sets; sessions are admitted and removed on event-loop
 * threads while the Kafka consumer thread looks them up.
 */
public final class SessionIndex {

    private final Set<ClientSession> all = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientSession>> byGroup = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int maxConnections;
    private final int maxSessionsPerUser;

    SessionIndex(int maxConnections, int maxSessionsPerUser, MeterRegistry meters) {
        this.maxConnections = maxConnections;
        this.maxSessionsPerUser = maxSessionsPerUser;
        Gauge.builder("tidings.gateway.connections", count, AtomicInteger::get)
                .description("Open WebSocket sessions on this node").register(meters);
        Gauge.builder("tidings.gateway.outbound.queued.frames", this, SessionIndex::queuedFrames)
                .description("Frames written to this node's connections and not yet taken by their sockets")
                .register(meters);
    }

    /**
     * Indexes the session under its user and its groups, or answers why it is refused when a limit is
     * reached; a refused session is indexed nowhere.
     */
    @Nullable CloseReason admit(ClientSession session) {
        if (count.incrementAndGet() > maxConnections) {
            count.decrementAndGet();
            return CloseReason.NODE_FULL;
        }
        boolean[] admitted = {false};
        // compute() makes check-and-add atomic per user, and atomic with remove's cleanup.
        byUser.compute(session.principal().userId(), (user, sessions) -> {
            Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            if (set.size() < maxSessionsPerUser) {
                set.add(session);
                admitted[0] = true;
            }
            return set.isEmpty() ? null : set;
        });
        if (!admitted[0]) {
            count.decrementAndGet();
            return CloseReason.TOO_MANY_SESSIONS;
        }
        for (String group : session.principal().groups()) {
            byGroup.compute(group, (g, sessions) -> {
                Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
                set.add(session);
                return set;
            });
        }
        all.add(session);
        return null;
    }

    /**
     * Gives an indexed session the principal of its refreshed token (the same user) and moves it from
     * the groups of its old token to those of the new one: records to a group it left stop reaching
     * it, records to a group it joined start to. False when the session is no longer indexed.
     */
    boolean regroup(ClientSession session, Principal fresh) {
        synchronized (session) { // with remove(): a closing session is never indexed again
            if (!all.contains(session)) {
                return false;
            }
            Set<String> before = session.principal().groups();
            session.principal(fresh);
            for (String group : fresh.groups()) {
                if (!before.contains(group)) {
                    byGroup.compute(group, (g, sessions) -> {
                        Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
                        set.add(session);
                        return set;
                    });
                }
            }
            for (String group : before) {
                if (!fresh.groups().contains(group)) {
                    removeFrom(byGroup, group, session);
                }
            }
            return true;
        }
    }

    /** Removes the session from every index; false when it was not indexed (refused, or removed already). */
    boolean remove(ClientSession session) {
        synchronized (session) { // with regroup(): the groups removed are the session's last
            if (!all.remove(session)) {
                return false;
            }
            count.decrementAndGet();
            removeFrom(byUser, session.principal().userId(), session);
            for (String group : session.principal().groups()) {
                removeFrom(byGroup, group, session);
            }
            return true;
        }
    }

    /** Sessions listening on the address: every session, one user's, or the members' of one group; empty when none. */
    public Collection<ClientSession> at(Address address) {
        return switch (address.type()) {
            case BROADCAST -> all;
            case USER -> byUser.getOrDefault(address.id(), Set.of());
            case GROUP -> byGroup.getOrDefault(address.id(), Set.of());
        };
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

    private double queuedFrames() {
        long frames = 0;
        for (ClientSession session : all) {
            frames += session.queuedFrames();
        }
        return frames;
    }

    private static void removeFrom(Map<String, Set<ClientSession>> index, String key, ClientSession session) {
        index.computeIfPresent(key, (k, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }
}

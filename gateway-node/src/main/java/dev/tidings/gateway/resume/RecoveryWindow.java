package dev.tidings.gateway.resume;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.tidings.common.auth.Principal;
import dev.tidings.schema.RoutingKeys;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;

/**
 * The node's bounded in-memory window of recent records, indexed by target ({@code user:<id>},
 * {@code group:<id>}, {@code broadcast}), so most resumes are served without touching Kafka.
 * Bounded by bytes and by age; the oldest records are evicted first.
 *
 * <p>Thread-safe, single writer: only the Kafka consumer thread appends and evicts; resuming
 * WebSocket threads read lock-free and then check with {@link #covers} that nothing they needed
 * was evicted while they read.
 */
public final class RecoveryWindow {

    /**
     * One record of the window.
     *
     * @param partition its partition
     * @param offset its offset
     * @param timestampMs when the node dispatched it
     * @param expiresAtMs when it stops being delivered, or {@code Long.MAX_VALUE}
     * @param frame its notification frame without cursor, UTF-8 JSON (shared, never modified)
     */
    public record Entry(int partition, long offset, long timestampMs, long expiresAtMs, byte[] frame) {
    }

    private record Slot(Entry entry, List<String> keys) {
    }

    private final long maxBytes;
    private final long maxAgeMs;
    private final Map<String, ConcurrentLinkedDeque<Entry>> byTarget = new ConcurrentHashMap<>();
    private final ArrayDeque<Slot> fifo = new ArrayDeque<>();
    private volatile AtomicLongArray start = new AtomicLongArray(0);
    private long bytes;
    private volatile int size;

    public RecoveryWindow(long maxBytes, Duration maxAge) {
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAge.toMillis();
    }

    /** Forgets everything; the window starts at {@code positions} (called on partition assignment). */
    public void reset(long[] positions) {
        fifo.clear();
        byTarget.clear();
        bytes = 0;
        size = 0;
        AtomicLongArray fresh = new AtomicLongArray(positions.length);
        for (int p = 0; p < positions.length; p++) {
            fresh.set(p, positions[p]);
        }
        start = fresh;
    }

    /** Appends a dispatched record and evicts what falls out of the bounds. */
    public void append(Target target, Entry entry) {
        List<String> keys = keys(target);
        for (String key : keys) {
            byTarget.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).addLast(entry);
        }
        fifo.addLast(new Slot(entry, keys));
        bytes += entry.frame().length + 64L;
        evict(entry.timestampMs());
        size = fifo.size();
    }

    private void evict(long now) {
        AtomicLongArray starts = start;
        while (!fifo.isEmpty() && (bytes > maxBytes || fifo.peekFirst().entry().timestampMs() < now - maxAgeMs)) {
            Slot oldest = fifo.pollFirst();
            Entry e = oldest.entry();
            // Move the start first: readers that saw the old start re-check it after reading.
            if (e.partition() < starts.length()) {
                starts.accumulateAndGet(e.partition(), e.offset() + 1, Math::max);
            }
            for (String key : oldest.keys()) {
                ConcurrentLinkedDeque<Entry> deque = byTarget.get(key);
                if (deque != null) {
                    deque.pollFirst();
                    if (deque.isEmpty()) {
                        byTarget.remove(key);
                    }
                }
            }
            bytes -= e.frame().length + 64L;
        }
    }

    /** Whether the window holds every record of {@code partition} from {@code fromOffset} on. */
    public boolean covers(int partition, long fromOffset) {
        AtomicLongArray starts = start;
        return partition < starts.length() && fromOffset >= starts.get(partition);
    }

    /** The oldest offset the window holds (or will hold) for the partition. */
    public long start(int partition) {
        return start.get(partition);
    }

    /**
     * Records addressed to the principal (its user id, its groups, broadcast) with
     * {@code from[p] <= offset < to[p]}, in no particular order and without duplicates.
     */
    public List<Entry> addressedTo(Principal principal, long[] from, long[] to) {
        List<String> keys = new ArrayList<>(principal.groups().size() + 2);
        keys.add(RoutingKeys.BROADCAST);
        keys.add(RoutingKeys.user(principal.userId()));
        for (String group : principal.groups()) {
            keys.add(RoutingKeys.group(group));
        }
        List<Entry> found = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (String key : keys) {
            Collection<Entry> entries = byTarget.get(key);
            if (entries == null) {
                continue;
            }
            for (Entry e : entries) {
                int p = e.partition();
                if (p < from.length && e.offset() >= from[p] && e.offset() < to[p]
                        && seen.add(((long) p << 48) ^ e.offset())) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    /** Number of records held (for metrics; read from any thread). */
    public int size() {
        return size;
    }

    static List<String> keys(Target target) {
        if (target.getType() == TargetType.BROADCAST) {
            return List.of(RoutingKeys.BROADCAST);
        }
        List<String> keys = new ArrayList<>(target.getIds().size());
        for (String id : target.getIds()) {
            keys.add(RoutingKeys.of(target.getType(), id));
        }
        return keys;
    }
}

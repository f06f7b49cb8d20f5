package dev.tidings.gateway.resume;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

import dev.tidings.common.auth.Principal;
import dev.tidings.schema.Address;
import org.jspecify.annotations.Nullable;

/**
 * The node's bounded in-memory window of recent records, indexed by {@link Address} (each user, each
 * group, broadcast), so most resumes are served without touching Kafka. Bounded by bytes and by age;
 * the oldest records are evicted first.
 *
 * <p>Each address has a {@link TargetLog}: an array the consumer thread appends to and evicts from
 * the front of, replaced by a compacted copy when full. Appending a record is a map lookup per
 * address and an array store; no node is allocated per record.
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
     * @param publishedAtMs its Kafka timestamp: what "most recent" means when a resume keeps only some
     * @param dispatchedAtMs when the node dispatched it: what the window's age is measured by
     * @param expiresAtMs when it stops being delivered, or {@code Long.MAX_VALUE}
     * @param frame its notification frame without cursor, UTF-8 JSON (shared, never modified)
     */
    public record Entry(int partition, long offset, long publishedAtMs, long dispatchedAtMs, long expiresAtMs,
            byte[] frame) {
    }

    /** A record in arrival order, with the logs it was appended to. */
    private record Slot(Entry entry, TargetLog[] logs) {
    }

    /** Bytes counted per record on top of its frame: the entry, its slot, its share of the indexes. */
    static final long OVERHEAD_BYTES = 72;

    /**
     * Bytes counted per id of a record beyond its first: its reference in that id's log (with the
     * log's spare capacity) and that log's share of the index, so a record to thousands of users
     * costs the window what it holds.
     */
    static final long PER_ID_BYTES = 48;

    private final long maxBytes;
    private final long maxAgeMs;
    private final Map<Address, TargetLog> logs = new ConcurrentHashMap<>();
    private final ArrayDeque<Slot> fifo = new ArrayDeque<>();
    private volatile AtomicLongArray start = new AtomicLongArray(0);
    private long bytes;
    private volatile int size;
    /** Changes on every {@link #reset}: a reader that saw it change while reading may have missed records. */
    private volatile int epoch;

    public RecoveryWindow(long maxBytes, Duration maxAge) {
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAge.toMillis();
    }

    /** Forgets everything; the window starts at {@code positions} (called on partition assignment). */
    public void reset(long[] positions) {
        epoch++;
        fifo.clear();
        logs.clear();
        bytes = 0;
        size = 0;
        AtomicLongArray fresh = new AtomicLongArray(positions.length);
        for (int p = 0; p < positions.length; p++) {
            fresh.set(p, positions[p]);
        }
        start = fresh;
    }

    /** Appends a dispatched record to the logs of the addresses it is for, and evicts what falls out of the bounds. */
    public void append(List<Address> addresses, Entry entry) {
        TargetLog[] logs = logsOf(addresses);
        for (TargetLog log : logs) {
            log.add(entry);
        }
        fifo.addLast(new Slot(entry, logs));
        bytes += cost(entry, logs);
        evict(entry.dispatchedAtMs());
        size = fifo.size();
    }

    private TargetLog[] logsOf(List<Address> addresses) {
        if (addresses.size() == 1) {
            return logOf(addresses.get(0)).alone;
        }
        TargetLog[] found = new TargetLog[addresses.size()];
        for (int i = 0; i < found.length; i++) {
            found[i] = logOf(addresses.get(i));
        }
        return found;
    }

    private TargetLog logOf(Address address) {
        TargetLog log = logs.get(address);
        if (log == null) {
            log = new TargetLog(address);
            logs.put(address, log);
        }
        return log;
    }

    private void evict(long now) {
        AtomicLongArray starts = start;
        while (!fifo.isEmpty() && (bytes > maxBytes || fifo.peekFirst().entry().dispatchedAtMs() < now - maxAgeMs)) {
            Slot oldest = fifo.pollFirst();
            Entry e = oldest.entry();
            // Move the start first: readers that saw the old start re-check it after reading.
            if (e.partition() < starts.length()) {
                starts.accumulateAndGet(e.partition(), e.offset() + 1, Math::max);
            }
            for (TargetLog log : oldest.logs()) {
                log.evictOldest();
                if (log.isEmpty()) {
                    logs.remove(log.address, log);
                }
            }
            bytes -= cost(e, oldest.logs());
        }
    }

    private static long cost(Entry entry, TargetLog[] logs) {
        return entry.frame().length + OVERHEAD_BYTES + (logs.length - 1) * PER_ID_BYTES;
    }

    /** Bytes the window counts against {@code maxBytes} now; on the consumer thread. */
    long bytes() {
        return bytes;
    }

    /**
     * The window's generation, which changes when it is reset (partition assignment): a reader takes
     * it before reading and checks it after, with {@link #covers}, to know nothing was cleared meanwhile.
     */
    public int epoch() {
        return epoch;
    }

    /** Whether the window holds every record of {@code partition} from {@code fromOffset} on. */
    public boolean covers(int partition, long fromOffset) {
        AtomicLongArray starts = start;
        return partition < starts.length() && fromOffset >= starts.get(partition);
    }

    /**
     * Records addressed to the principal (its user id, its groups, broadcast) with
     * {@code from[p] <= offset < to[p]}, in no particular order and without duplicates.
     */
    public List<Entry> addressedTo(Principal principal, long[] from, long[] to) {
        List<Entry> found = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (Address address : Address.listenedBy(principal.userId(), principal.groups())) {
            TargetLog log = logs.get(address);
            if (log == null) {
                continue;
            }
            log.forEach(e -> {
                int p = e.partition();
                if (p < from.length && e.offset() >= from[p] && e.offset() < to[p]
                        && seen.add(((long) p << 48) ^ e.offset())) {
                    found.add(e);
                }
            });
        }
        return found;
    }

    /** Number of records held (for metrics; read from any thread). */
    public int size() {
        return size;
    }

    /**
     * The records of one target, oldest first: appended at the end and evicted from the front by the
     * consumer thread, read by any thread.
     *
     * <p>Entries live in a {@link Chunk}, an array and the count of its slots written. The writer
     * stores an entry, then publishes the count; when the array is full it copies the live entries
     * into a new chunk (twice their number, so a log that shrank gets a smaller array) and publishes
     * that. A reader takes the chunk, then its count, and sees every entry below the count: the one
     * it took, or a null where an entry was evicted since. Entries are never moved within a chunk.
     */
    static final class TargetLog {

        private static final int FIRST_CAPACITY = 4;

        final Address address;
        /** This log as the only one of a record's slot, so single-target records allocate no array. */
        final TargetLog[] alone = {this};
        private volatile Chunk chunk = new Chunk(FIRST_CAPACITY);
        /** Index of the oldest live entry in {@link #chunk}; writer only. */
        private int head;

        TargetLog(Address address) {
            this.address = address;
        }

        void add(Entry entry) {
            Chunk current = chunk;
            int n = current.size;
            if (n < current.slots.length) {
                current.slots[n] = entry;
                current.size = n + 1;
                return;
            }
            int live = n - head;
            Chunk next = new Chunk(Math.max(FIRST_CAPACITY, 2 * live));
            System.arraycopy(current.slots, head, next.slots, 0, live);
            next.slots[live] = entry;
            next.size = live + 1;
            head = 0;
            chunk = next;
        }

        void evictOldest() {
            Chunk current = chunk;
            if (head < current.size) {
                current.slots[head++] = null;
            }
        }

        boolean isEmpty() {
            return head == chunk.size;
        }

        void forEach(Consumer<Entry> action) {
            Chunk current = chunk;
            int n = current.size;
            for (int i = 0; i < n; i++) {
                Entry e = current.slots[i];
                if (e != null) {
                    action.accept(e);
                }
            }
        }
    }

    private static final class Chunk {

        final @Nullable Entry[] slots;
        volatile int size;

        Chunk(int capacity) {
            this.slots = new Entry[capacity];
        }
    }
}

package dev.tidings.gateway.inbox;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What the counts store keeps per address: its item count and, when known, two positions that spare an append
 * RocksDB reads.
 * <ul>
 *   <li>{@code oldest}: a position at or before the address's oldest item. A trim starts its scan there rather
 *       than at the address's prefix: RocksDB keeps the items a trim deleted as tombstones until compaction, and a
 *       scan from the prefix would step over every one of them on every append to a busy address.</li>
 *   <li>{@code newest}: a position at or after the address's newest item, kept by the processor named by
 *       {@code writer} since it started. An append after it is new (no item to look up) and after any erasure
 *       (no mark to look up): an erasure deletes the count, and only an item newer than the erasure is counted
 *       after it. Another writer's {@code newest} is not trusted: after a crash the items restored from their
 *       changelog may run ahead of the counts restored from theirs.</li>
 * </ul>
 *
 * <p>Stored as the count (8 bytes), then the oldest position. A count with {@code newest} has its top bit set
 * and is followed by the writer (8 bytes), the length of {@code newest} (2 bytes) and {@code newest}, then the
 * oldest position; a value without the bit (as gateways before {@code newest} wrote it) still reads.
 * A position is at least 8 bytes (its time) and at most {@link Short#MAX_VALUE}.
 */
record AddressCount(long count, byte @Nullable [] oldest, byte @Nullable [] newest, long writer) {

    private static final long WITH_NEWEST = Long.MIN_VALUE;

    AddressCount {
        if (newest != null && newest.length > Short.MAX_VALUE) {
            newest = null; // an id too long to note: such an address's appends read the stores
        }
    }

    static AddressCount of(long count, byte @Nullable [] oldest) {
        return new AddressCount(count, oldest, null, 0);
    }

    static AddressCount decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        long head = in.getLong();
        if ((head & WITH_NEWEST) == 0) {
            return of(head, value.length > 8 ? Arrays.copyOfRange(value, 8, value.length) : null);
        }
        long count = head & ~WITH_NEWEST;
        int newestLength = in.remaining() < 10 ? -1 : in.getShort(16);
        if (newestLength < 8 || newestLength > in.remaining() - 10) {
            // Not laid out as this class writes it: a gateway of the version before, running beside this one
            // during a rolling upgrade, rewrote a count it could not read. Its positions are not trusted; the
            // next trim scans from the address's first key, the next append reads the stores.
            return of(count, null);
        }
        int oldestFrom = 18 + newestLength;
        byte[] oldest = value.length > oldestFrom ? Arrays.copyOfRange(value, oldestFrom, value.length) : null;
        return new AddressCount(count, oldest, Arrays.copyOfRange(value, 18, oldestFrom), in.getLong(8));
    }

    byte[] encode() {
        int oldestLength = oldest == null ? 0 : oldest.length;
        if (newest == null) {
            ByteBuffer out = ByteBuffer.allocate(8 + oldestLength).putLong(count);
            return (oldest == null ? out : out.put(oldest)).array();
        }
        ByteBuffer out = ByteBuffer.allocate(8 + 8 + 2 + newest.length + oldestLength)
                .putLong(count | WITH_NEWEST).putLong(writer).putShort((short) newest.length).put(newest);
        return (oldest == null ? out : out.put(oldest)).array();
    }

    /** The newest position when {@code writer} kept it, the only newest an append may trust; else {@code null}. */
    byte @Nullable [] newestKeptBy(long writer) {
        return this.writer == writer ? newest : null;
    }

    AddressCount withCount(long count) {
        return new AddressCount(count, oldest, newest, writer);
    }
}

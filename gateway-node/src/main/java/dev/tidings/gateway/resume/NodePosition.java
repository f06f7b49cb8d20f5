package dev.tidings.gateway.resume;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.tidings.common.cursor.Cursor;
import dev.tidings.common.cursor.CursorCodec;
import org.jspecify.annotations.Nullable;

/**
 * How far this node has dispatched the topic: the topic's id and, per partition, the offset
 * of the next record to dispatch. Every frame's cursor is a snapshot of it, signed by the codec.
 *
 * <p>Thread-safe: written by the Kafka consumer thread only, read by WebSocket threads through
 * an atomic array and a volatile topic id.
 */
public final class NodePosition {

    private final CursorCodec codec;
    private volatile @Nullable UUID topicId;
    private volatile AtomicLongArray next = new AtomicLongArray(0);

    public NodePosition(CursorCodec codec) {
        this.codec = codec;
    }

    /** Called on (re)assignment with the topic's id and the consumer's position per partition. */
    public void reset(UUID topicId, long[] positions) {
        AtomicLongArray fresh = new AtomicLongArray(positions.length);
        for (int p = 0; p < positions.length; p++) {
            fresh.set(p, positions[p]);
        }
        this.next = fresh;
        this.topicId = topicId;
    }

    /** Records that {@code offset} on {@code partition} has been dispatched. */
    public void advance(int partition, long offset) {
        AtomicLongArray current = next;
        if (partition < current.length() && current.get(partition) <= offset) {
            current.set(partition, offset + 1);
        }
    }

    /** The current position, or {@code null} before the first assignment. */
    public @Nullable Cursor snapshot() {
        UUID id = topicId;
        AtomicLongArray current = next;
        if (id == null || current.length() == 0) {
            return null;
        }
        long[] offsets = new long[current.length()];
        for (int p = 0; p < offsets.length; p++) {
            offsets[p] = Math.max(0, current.get(p));
        }
        return new Cursor(id, offsets);
    }

    /**
     * The cursor of a frame: the current position advanced past {@code offset} on {@code partition},
     * encoded; {@code null} before the first assignment or for a partition the position does not cover.
     */
    public @Nullable String encodedPast(int partition, long offset) {
        Cursor cursor = snapshot();
        if (cursor == null || partition >= cursor.partitions()) {
            return null;
        }
        return codec.encode(cursor.advancedPast(partition, offset));
    }

    /** The current position as a cursor string, or {@code null} before the first assignment. */
    public @Nullable String encodedSnapshot() {
        Cursor cursor = snapshot();
        return cursor == null ? null : codec.encode(cursor);
    }
}

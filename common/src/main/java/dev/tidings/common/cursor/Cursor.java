package dev.tidings.common.cursor;

import java.util.Arrays;
import java.util.UUID;

/**
 * A position in the notification topic: the topic's identity (so a recreated topic invalidates
 * every old cursor) and, per partition, the offset of the next record not yet seen.
 *
 * <p>Immutable: the offset array is copied in and out.
 */
public final class Cursor {

    private final UUID topicId;
    private final long[] nextOffsets;

    public Cursor(UUID topicId, long[] nextOffsets) {
        for (long offset : nextOffsets) {
            if (offset < 0) {
                throw new IllegalArgumentException("offsets must not be negative");
            }
        }
        this.topicId = topicId;
        this.nextOffsets = nextOffsets.clone();
    }

    /** The Kafka topic id this cursor belongs to. */
    public UUID topicId() {
        return topicId;
    }

    /** Number of partitions the cursor covers. */
    public int partitions() {
        return nextOffsets.length;
    }

    /** Offset of the next record not yet seen on {@code partition}. */
    public long nextOffset(int partition) {
        return nextOffsets[partition];
    }

    /** A copy of the offset vector, indexed by partition. */
    public long[] nextOffsets() {
        return nextOffsets.clone();
    }

    /** This cursor advanced past {@code offset} on {@code partition} (never moved back). */
    public Cursor advancedPast(int partition, long offset) {
        if (nextOffsets[partition] > offset) {
            return this;
        }
        long[] copy = nextOffsets.clone();
        copy[partition] = offset + 1;
        return new Cursor(topicId, copy);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cursor that && topicId.equals(that.topicId)
                && Arrays.equals(nextOffsets, that.nextOffsets);
    }

    @Override
    public int hashCode() {
        return 31 * topicId.hashCode() + Arrays.hashCode(nextOffsets);
    }

    @Override
    public String toString() {
        return "Cursor[" + topicId + " " + Arrays.toString(nextOffsets) + "]";
    }
}

package dev.tidings.client;

import java.util.List;

/**
 * The publisher's {@code 202}: Kafka acknowledged every record of the notification (one per user or
 * group id it was sent to, each keyed by its own routing key).
 *
 * @param id the notification id: the caller's, or the one the client made for it
 * @param partition partition of its first record
 * @param offset offset of its first record
 * @param records every record when there is more than one; empty otherwise
 */
public record Accepted(String id, int partition, long offset, List<RecordPosition> records) implements ItemResult {

    public Accepted {
        records = List.copyOf(records);
    }

    /** A notification written as one record. */
    public Accepted(String id, int partition, long offset) {
        this(id, partition, offset, List.of());
    }

    /**
     * One written record.
     *
     * @param key its routing key: {@code user:<id>}, {@code group:<id>} or {@code broadcast}
     * @param partition its partition
     * @param offset its offset
     */
    public record RecordPosition(String key, int partition, long offset) {
    }
}

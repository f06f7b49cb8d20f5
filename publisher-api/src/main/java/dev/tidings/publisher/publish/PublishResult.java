package dev.tidings.publisher.publish;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * What Kafka acknowledged for one notification: its id and where its (first) record landed. A
 * notification to several users or groups is written as one record per id (each keyed by its own
 * routing key, so order is kept per target); {@code records} then lists them all.
 *
 * @param id the notification id
 * @param partition partition of the first record
 * @param offset offset of the first record
 * @param records every record, when there is more than one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublishResult(String id, int partition, long offset, @Nullable List<RecordPosition> records) {

    /**
     * One written record.
     *
     * @param key its routing key
     * @param partition its partition
     * @param offset its offset
     */
    public record RecordPosition(String key, int partition, long offset) {
    }
}

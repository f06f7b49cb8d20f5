package dev.tidings.router.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.tidings.router.routes.StartPosition;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a route reads a partition it has no committed offset for, and the commit that fixes it:
 * the route's {@code start} for partitions that existed when the route first ran (its consumer group had
 * no committed offset at all), otherwise the partition's first record, so that nothing written to
 * a topic (or partition) created after the route began is missed. The position is committed at once, so a restart
 * continues from it whatever {@code start} says then.
 */
final class StartOffsets {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final StartPosition start;
    private final boolean newRoute;
    private final Set<TopicPartition> existingAtStart;

    StartOffsets(StartPosition start, boolean newRoute, Set<TopicPartition> existingAtStart) {
        this.start = start;
        this.newRoute = newRoute;
        this.existingAtStart = Set.copyOf(existingAtStart);
    }

    /** Seeks every partition of {@code assigned} without a committed offset and commits where it starts. */
    void place(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned), TIMEOUT);
        Set<TopicPartition> fresh = new HashSet<>();
        for (TopicPartition partition : assigned) {
            if (committed.get(partition) == null) {
                fresh.add(partition);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(fresh, TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(fresh, TIMEOUT);
        Map<TopicPartition, Long> at = new HashMap<>();
        if (start.kind() == StartPosition.Kind.INSTANT) {
            Map<TopicPartition, Long> times = new HashMap<>();
            fresh.forEach(p -> times.put(p, start.instant().toEpochMilli()));
            consumer.offsetsForTimes(times, TIMEOUT).forEach((p, found) -> {
                if (found != null) {
                    at.put(p, found.offset());
                }
            });
        }
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition partition : fresh) {
            long offset;
            if (!newRoute || !existingAtStart.contains(partition)) {
                offset = beginning.get(partition);
            }
            else {
                offset = switch (start.kind()) {
                    case EARLIEST -> beginning.get(partition);
                    case LATEST -> end.get(partition);
                    case INSTANT -> at.getOrDefault(partition, end.get(partition));
                };
            }
            consumer.seek(partition, offset);
            positions.put(partition, new OffsetAndMetadata(offset));
        }
        consumer.commitSync(positions, TIMEOUT);
    }

}

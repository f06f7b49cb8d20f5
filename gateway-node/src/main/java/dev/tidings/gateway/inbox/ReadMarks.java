package dev.tidings.gateway.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;

/**
 * Writes the compacted read-state topic. One record per mark, so that compaction keeps every mark and a
 * mark written twice is the same mark: the key is the user's routing key, a NUL, and the mark's kind
 * ({@code i:<notification id>}, {@code all}, {@code erase}, {@code notice}); the value is the mark's time in
 * epoch milliseconds (a tombstone drops a mark), or for a {@code notice} the {@code read} frame the user's
 * sessions are sent ({@link ReadNotices}). Each record goes to the partition of the user's routing key, the
 * partition of the user's notifications, so both are in the same Streams task.
 *
 * <p>Thread-safe: the Kafka producer is.
 */
final class ReadMarks implements AutoCloseable {

    static final String ID = "i";
    static final String ALL = "all";
    static final String ERASE = "erase";
    static final String NOTICE = "notice";

    private final KafkaProducer<String, String> producer;
    private final String topic;

    ReadMarks(Map<String, Object> producerConfig, String topic) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        this.topic = topic;
    }

    /** Marks the ids read, and {@code all} (when not null) everything published up to that time. */
    CompletableFuture<Void> mark(String userKey, Collection<String> ids, @Nullable Long allUpTo, long now) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (String id : ids) {
            sends.add(send(userKey, ID + ":" + id, Long.toString(now)));
        }
        if (allUpTo != null) {
            sends.add(send(userKey, ALL, Long.toString(allUpTo)));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    /** Drops the user's marks of the ids, then erases the user's items and marks up to {@code at}. */
    CompletableFuture<Void> erase(String userKey, Collection<String> markedIds, long at) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (String id : markedIds) {
            sends.add(send(userKey, ID + ":" + id, null));
        }
        sends.add(send(userKey, ALL, null));
        sends.add(send(userKey, NOTICE, null));
        sends.add(send(userKey, ERASE, Long.toString(at)));
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    /** Tells every gateway to send the {@code read} frame to the user's sessions. */
    CompletableFuture<Void> notice(String userKey, String readFrame) {
        return send(userKey, NOTICE, readFrame).thenApply(sent -> null);
    }

    private CompletableFuture<Object> send(String userKey, String kind, @Nullable String value) {
        int partitions = producer.partitionsFor(topic).size();
        int partition = partitionOf(userKey, partitions);
        CompletableFuture<Object> sent = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, partition, userKey + '\u0000' + kind, value), (metadata, error) -> {
            if (error != null) {
                sent.completeExceptionally(error);
            }
            else {
                sent.complete(metadata);
            }
        });
        return sent;
    }

    /**
     * The read-state record key a mark of the {@link InboxTopology#MARKS} store was written under;
     * {@code null} for a store key of no such record.
     */
    static @Nullable String recordKeyOf(Bytes markKey) {
        int prefix = InboxKeys.prefixLengthOf(markKey);
        String user = InboxKeys.addressOf(markKey);
        return switch (InboxKeys.kindOf(markKey, prefix)) {
            case InboxKeys.MARK_ID -> user + '\u0000' + ID + ":" + InboxKeys.markedIdOf(markKey, prefix);
            case InboxKeys.MARK_ALL -> user + '\u0000' + ALL;
            case InboxKeys.MARK_ERASED -> user + '\u0000' + ERASE;
            default -> null;
        };
    }

    /** The partition the default partitioner gives the routing key: where its notifications are. */
    static int partitionOf(String routingKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(routingKey.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * A read-state key, parsed.
     *
     * @param user the user's routing key
     * @param kind {@link #ID}, {@link #ALL}, {@link #ERASE} or {@link #NOTICE}
     * @param id the notification id of an {@link #ID} mark; empty otherwise
     */
    record Key(String user, String kind, String id) {

        static @Nullable Key parse(@Nullable String key) {
            int nul = key == null ? -1 : key.indexOf('\u0000');
            if (nul < 0 || !key.startsWith("user:")) {
                return null;
            }
            String user = key.substring(0, nul);
            String rest = key.substring(nul + 1);
            if (rest.startsWith(ID + ":")) {
                return new Key(user, ID, rest.substring(ID.length() + 1));
            }
            return switch (rest) {
                case ALL, ERASE, NOTICE -> new Key(user, rest, "");
                default -> null;
            };
        }
    }
}

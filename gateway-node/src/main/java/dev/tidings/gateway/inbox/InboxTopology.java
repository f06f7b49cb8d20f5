package dev.tidings.gateway.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationCodec;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.NotificationSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.jspecify.annotations.Nullable;

/**
 * The inbox's Kafka Streams topology. Three stores, each a RocksDB store with a compacted changelog:
 * {@link #ITEMS} (the notifications of each address, newest last, see {@link InboxKeys}), {@link #COUNTS}
 * (items per address, {@link AddressCount}) and {@link #MARKS} (each user's read marks and erasure).
 *
 * <p>Notifications are stored under the address their record is keyed by, when the record's target
 * names that address ({@link Address#of}, as the live path routes them): the publisher writes one record
 * per address, keyed by its routing key, so a record's partition is its address's partition and its items
 * are where queries for the address look ({@code queryMetadataForKey} on the routing key). A record whose
 * target names addresses other than its key is copied, once per such address, through a repartition
 * topic keyed by the address. The read-state topic is partitioned by user routing key as well
 * ({@link ReadMarks}), so a user's items and read marks are in one task.
 */
final class InboxTopology {

    static final String ITEMS = "inbox-items";
    static final String COUNTS = "inbox-counts";
    static final String MARKS = "inbox-marks";

    private static final NotificationDeserializer DECODER = new NotificationDeserializer();

    private InboxTopology() {
    }

    static Topology build(String topic, String readTopic, InboxProperties properties, FrameEncoder frames) {
        StreamsBuilder builder = new StreamsBuilder();
        for (String store : List.of(ITEMS, MARKS)) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                    Serdes.Bytes(), Serdes.ByteArray()));
        }
        // Every append rewrites its address's count: cached, the store and its changelog get one write per
        // address and commit instead of one per notification.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        Serde<Notification> notifications = Serdes.serdeFrom(new NotificationSerializer(), InboxTopology::decodeOrNull);
        KStream<String, Notification> in = builder.stream(topic,
                Consumed.with(Serdes.String(), notifications).withName("inbox-notifications"));
        in.process(() -> new ItemsProcessor(properties, frames, true), Named.as("inbox-store"), ITEMS, COUNTS, MARKS);
        in.flatMap(InboxTopology::otherAddresses, Named.as("inbox-rekey"))
                .repartition(Repartitioned.with(Serdes.String(), notifications).withName("inbox-rekeyed"))
                .process(() -> new ItemsProcessor(properties, frames, false), Named.as("inbox-store-rekeyed"),
                        ITEMS, COUNTS, MARKS);
        builder.stream(readTopic, Consumed.with(Serdes.String(), Serdes.String()).withName("inbox-reads"))
                .process(() -> new ReadStateProcessor(properties), Named.as("inbox-read-state"), ITEMS, COUNTS, MARKS)
                .to(readTopic, Produced.with(Serdes.String(), Serdes.String())
                        .withStreamPartitioner(InboxTopology::userPartition).withName("inbox-purged-marks"));
        return builder.build();
    }

    /**
     * The notification, or {@code null} for a record that is none (a poison record): the live path
     * dead-letters and counts those; the inbox skips them without a log line each, and bytes that are not
     * even Avro single-object encoded (the usual flood) without the exceptions a failed decode builds, so a
     * flood of them costs it little more than reading them.
     */
    static @Nullable Notification decodeOrNull(String topic, byte @Nullable [] data) {
        if (data == null || !NotificationCodec.hasSingleObjectMarker(data)) {
            return null;
        }
        try {
            return DECODER.deserialize(topic, data);
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    /** A read-state record's partition: its user's, as {@link ReadMarks} writes it. */
    private static Optional<Set<Integer>> userPartition(String topic, String key, String value, int partitions) {
        ReadMarks.Key parsed = ReadMarks.Key.parse(key);
        return parsed == null ? Optional.empty()
                : Optional.of(Set.of(ReadMarks.partitionOf(parsed.user(), partitions)));
    }

    /** The record once per address its target names other than the one it is keyed by. */
    static List<KeyValue<String, Notification>> otherAddresses(String key, Notification n) {
        if (n == null) {
            return List.of();
        }
        List<KeyValue<String, Notification>> others = new ArrayList<>(0);
        for (Address address : Address.of(n.getTarget())) {
            String routingKey = address.routingKey();
            if (!routingKey.equals(key)) {
                others.add(KeyValue.pair(routingKey, n));
            }
        }
        return others;
    }
}

package dev.tidings.gateway.inbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Reads this gateway's own stores: the items of addresses whose partition is active here, and a user's
 * read marks. Throws {@link InvalidStateStoreException} when a partition is not (or no longer) active here,
 * as during a rebalance; the caller asks again where the metadata then points.
 *
 * <p>Thread-safe: Kafka Streams' store views are.
 */
final class LocalInbox {

    private final KafkaStreams streams;
    private final InboxProperties properties;

    LocalInbox(KafkaStreams streams, InboxProperties properties) {
        this.streams = streams;
        this.properties = properties;
    }

    /** Where the address's state is: its partition and the gateway that has it active. */
    KeyQueryMetadata owner(String addressKey) {
        return streams.queryMetadataForKey(InboxTopology.ITEMS, addressKey, Serdes.String().serializer());
    }

    /**
     * The listed items of the addresses, with frames as {@code framed} says, and the marks of
     * {@code userKey} when not null; all held here.
     */
    Slice slice(List<String> addressKeys, @Nullable String userKey, Slice.Framed framed) {
        long now = System.currentTimeMillis();
        long cutoff = now - properties.retention().toMillis();
        Map<String, List<StoredItem>> items = new LinkedHashMap<>();
        for (String addressKey : addressKeys) {
            items.put(addressKey, items(addressKey, now, cutoff, framed));
        }
        return new Slice(items, userKey == null ? null : marks(userKey));
    }

    private List<StoredItem> items(String addressKey, long now, long cutoff, Slice.Framed framed) {
        byte[] prefix = InboxKeys.prefix(addressKey);
        List<StoredItem> listed = new ArrayList<>();
        int frames = 0;
        try (KeyValueIterator<Bytes, byte[]> newestFirst = store(InboxTopology.ITEMS, addressKey)
                .reverseRange(Bytes.wrap(prefix), InboxKeys.upperBound(prefix))) {
            // The limit is checked before hasNext(): stepping past the oldest item listed would scan the
            // tombstones of trimmed items beyond it for nothing.
            while (listed.size() < properties.maxItems() && newestFirst.hasNext()) {
                KeyValue<Bytes, byte[]> entry = newestFirst.next();
                byte[] position = InboxKeys.positionOf(entry.key);
                StoredItem item = StoredItem.decodeUnframed(position, entry.value);
                if (item.publishedAt() < cutoff) {
                    break;
                }
                if (!item.listedAt(now, cutoff)) {
                    continue;
                }
                if (frames < framed.limit() && framed.covers(position)) {
                    item = StoredItem.decode(position, entry.value);
                    frames++;
                }
                listed.add(item);
            }
        }
        return listed;
    }

    private Slice.Marks marks(String userKey) {
        byte[] prefix = InboxKeys.prefix(userKey);
        Set<String> ids = new HashSet<>();
        long allUpTo = -1;
        try (KeyValueIterator<Bytes, byte[]> all = store(InboxTopology.MARKS, userKey)
                .range(Bytes.wrap(prefix), InboxKeys.upperBound(prefix))) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                byte kind = InboxKeys.kindOf(entry.key, prefix.length);
                if (kind == InboxKeys.MARK_ID) {
                    ids.add(InboxKeys.markedIdOf(entry.key, prefix.length));
                }
                else if (kind == InboxKeys.MARK_ALL) {
                    allUpTo = InboxKeys.longOf(entry.value);
                }
            }
        }
        return new Slice.Marks(ids, allUpTo);
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, String addressKey) {
        int partition = owner(addressKey).partition();
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                .withPartition(partition));
    }
}

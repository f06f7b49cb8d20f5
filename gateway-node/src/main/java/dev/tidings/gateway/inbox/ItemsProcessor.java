package dev.tidings.gateway.inbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.protocol.PoisonRecordException;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each notification under the address its record is keyed by, when its target names that
 * address, as its {@code notification} frame. Idempotent: a record seen again (a redelivery, an operator
 * replay: same id, same {@code publishedAt}) keeps the item stored first. Keeps at most
 * {@code max-items} per address, none older than {@code retention}, and nothing a user's erasure covers.
 */
final class ItemsProcessor implements Processor<String, Notification, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ItemsProcessor.class);

    private final InboxProperties properties;
    private final FrameEncoder frames;
    private final boolean sweeps;
    /** Names this processor in the counts it writes ({@link AddressCount#writer()}): new with each task it runs. */
    private final long writer = ThreadLocalRandom.current().nextLong();
    private KeyValueStore<Bytes, byte[]> items;
    private KeyValueStore<Bytes, byte[]> counts;
    private KeyValueStore<Bytes, byte[]> marks;

    /** @param sweeps whether this processor drops aged items on a timer (one per task is enough) */
    ItemsProcessor(InboxProperties properties, FrameEncoder frames, boolean sweeps) {
        this.properties = properties;
        this.frames = frames;
        this.sweeps = sweeps;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        items = context.getStateStore(InboxTopology.ITEMS);
        counts = context.getStateStore(InboxTopology.COUNTS);
        marks = context.getStateStore(InboxTopology.MARKS);
        if (sweeps) {
            context.schedule(properties.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
        }
    }

    @Override
    public void process(Record<String, Notification> record) {
        Notification n = record.value();
        String key = record.key();
        if (n == null || key == null || !addressed(key, n)) {
            return;
        }
        long publishedAt = n.getPublishedAt().toEpochMilli();
        if (publishedAt < cutoff(System.currentTimeMillis())) {
            return;
        }
        byte[] prefix = InboxKeys.prefix(key);
        byte[] position = InboxKeys.position(publishedAt, n.getId());
        Bytes itemKey = Bytes.wrap(InboxKeys.concat(prefix, position));
        Bytes countKey = Bytes.wrap(prefix);
        byte[] storedCount = counts.get(countKey);
        AddressCount stored = storedCount == null ? null : AddressCount.decode(storedCount);
        byte[] kept = stored == null ? null : stored.newestKeptBy(writer);
        byte[] newest;
        if (kept != null && Arrays.compareUnsigned(position, kept) > 0) {
            // The usual append: newer than all this processor has stored for the address, so neither stored
            // already nor covered by an erasure (AddressCount). No RocksDB read, and most reads would miss.
            newest = position;
        }
        else {
            byte[] erased = marks.get(InboxKeys.mark(key, InboxKeys.MARK_ERASED, ""));
            if (erased != null && publishedAt <= InboxKeys.longOf(erased)) {
                return;
            }
            if (items.get(itemKey) != null) {
                return;
            }
            newest = later(kept != null ? kept : newestItem(prefix), position);
        }
        byte[] frame;
        try {
            frame = frames.notification(n);
        }
        catch (PoisonRecordException ex) {
            log.debug("Not stored in the inbox: notification {} has an unusable payload", n.getId());
            return;
        }
        items.put(itemKey, StoredItem.encode(n.getExpiresAt() == null ? -1 : n.getExpiresAt().toEpochMilli(), frame));
        long count = (stored == null ? 0 : stored.count()) + 1;
        // A position at or before every item of the address, when known; none (scan from the prefix) until a
        // trim has seen the address's oldest item.
        byte[] oldest = stored == null ? null : stored.oldest();
        if (oldest != null && Arrays.compareUnsigned(position, oldest) < 0) {
            oldest = position; // published before everything the address holds
        }
        if (count > properties.maxItems()) {
            // Only an address over max-items is trimmed on append (a RocksDB iterator each time); items past
            // retention are dropped by the sweep and never listed meanwhile.
            Trimmed trimmed = trim(prefix, oldest, count);
            count = trimmed.count();
            oldest = trimmed.oldest();
        }
        counts.put(countKey, new AddressCount(count, oldest, newest, writer).encode());
    }

    /** The position of the address's newest item, {@code null} when it holds none: one RocksDB seek. */
    private byte @Nullable [] newestItem(byte[] prefix) {
        try (KeyValueIterator<Bytes, byte[]> newestFirst = items.reverseRange(Bytes.wrap(prefix),
                InboxKeys.upperBound(prefix))) {
            return newestFirst.hasNext() ? InboxKeys.positionOf(newestFirst.next().key) : null;
        }
    }

    private static byte[] later(byte @Nullable [] a, byte[] b) {
        return a != null && Arrays.compareUnsigned(a, b) > 0 ? a : b;
    }

    /** Whether the record's target names the address it is keyed by: the live path's addressing. */
    private static boolean addressed(String key, Notification n) {
        for (Address address : Address.of(n.getTarget())) {
            if (address.routingKey().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** What a trim leaves: the count, and the position of the oldest item kept ({@code null}: not seen). */
    private record Trimmed(long count, byte @Nullable [] oldest) {
    }

    /**
     * Deletes the address's oldest items while over {@code max-items} or past retention, scanning from
     * {@code oldest} (at or before its oldest item) or, when {@code null}, from the address's prefix.
     */
    private Trimmed trim(byte[] prefix, byte @Nullable [] oldest, long count) {
        long cutoff = cutoff(System.currentTimeMillis());
        List<Bytes> doomed = new ArrayList<>();
        byte[] kept = null;
        Bytes from = Bytes.wrap(oldest == null ? prefix : InboxKeys.concat(prefix, oldest));
        try (KeyValueIterator<Bytes, byte[]> oldestFirst = items.range(from, InboxKeys.upperBound(prefix))) {
            // The count is checked before hasNext(): stepping past the last item kept would scan the tombstones
            // beyond it for nothing.
            while (count - doomed.size() > 0 && oldestFirst.hasNext()) {
                Bytes key = oldestFirst.next().key;
                byte[] position = InboxKeys.positionOf(key);
                boolean aged = InboxKeys.publishedAtOf(position) < cutoff;
                if (!aged && count - doomed.size() <= properties.maxItems()) {
                    kept = position;
                    break;
                }
                doomed.add(key);
            }
        }
        doomed.forEach(items::delete);
        return new Trimmed(count - doomed.size(), kept);
    }

    /** Drops every item past retention, whichever address it is under. */
    private void sweep(long now) {
        long cutoff = cutoff(now);
        List<KeyValue<Bytes, byte[]>> aged = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = items.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                if (InboxKeys.publishedAtOf(InboxKeys.positionOf(entry.key)) < cutoff) {
                    aged.add(entry);
                }
            }
        }
        for (KeyValue<Bytes, byte[]> entry : aged) {
            items.delete(entry.key);
            Bytes countKey = Bytes.wrap(Arrays.copyOf(entry.key.get(), InboxKeys.prefixLengthOf(entry.key)));
            byte[] stored = counts.get(countKey);
            AddressCount count = stored == null ? null : AddressCount.decode(stored);
            if (count != null && count.count() > 1) {
                // Its oldest and newest still bound every item left: the sweep only deletes.
                counts.put(countKey, count.withCount(count.count() - 1).encode());
            }
            else {
                counts.delete(countKey);
            }
        }
    }

    private long cutoff(long now) {
        return now - properties.retention().toMillis();
    }
}

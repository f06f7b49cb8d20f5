package dev.tidings.gateway.inbox;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the read-state topic ({@link ReadMarks}) to the {@link InboxTopology#MARKS} store: a mark of one
 * id, a mark of everything up to a time (only ever moved forward), a tombstone that drops a mark, and an
 * erasure, which deletes the user's own items and marks and keeps the erasure's time so that no older
 * notification of the user is stored again. Every mark is idempotent.
 *
 * <p>Marks do not outlive what they can cover: every {@code sweep-interval} it drops the marks whose time is
 * older than retention and one more interval (an id marked then names an item already aged out; "all up to"
 * and an erasure that old cover only aged-out items), and forwards a tombstone of each to the read-state
 * topic, so compaction drops it there as well and the topic stays as large as the marks that matter.
 */
final class ReadStateProcessor implements Processor<String, String, String, String> {

    private final InboxProperties properties;
    private ProcessorContext<String, String> context;
    private KeyValueStore<Bytes, byte[]> items;
    private KeyValueStore<Bytes, byte[]> counts;
    private KeyValueStore<Bytes, byte[]> marks;

    ReadStateProcessor(InboxProperties properties) {
        this.properties = properties;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        items = context.getStateStore(InboxTopology.ITEMS);
        counts = context.getStateStore(InboxTopology.COUNTS);
        marks = context.getStateStore(InboxTopology.MARKS);
        context.schedule(properties.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, String> record) {
        ReadMarks.Key key = ReadMarks.Key.parse(record.key());
        if (key == null) {
            return;
        }
        String value = record.value();
        switch (key.kind()) {
            case ReadMarks.ID -> {
                Bytes mark = InboxKeys.mark(key.user(), InboxKeys.MARK_ID, key.id());
                if (value == null) {
                    marks.delete(mark);
                }
                else {
                    marks.put(mark, InboxKeys.longBytes(Long.parseLong(value)));
                }
            }
            case ReadMarks.ALL -> {
                if (value == null) {
                    return;
                }
                Bytes mark = InboxKeys.mark(key.user(), InboxKeys.MARK_ALL, "");
                byte[] before = marks.get(mark);
                long at = Long.parseLong(value);
                if (before == null || InboxKeys.longOf(before) < at) {
                    marks.put(mark, InboxKeys.longBytes(at));
                }
            }
            case ReadMarks.ERASE -> {
                if (value != null) {
                    erase(key.user(), Long.parseLong(value));
                }
            }
            default -> {
                // notices are for the sessions (ReadNotices), not state
            }
        }
    }

    private void erase(String userKey, long at) {
        byte[] prefix = InboxKeys.prefix(userKey);
        deleteRange(items, prefix);
        deleteRange(marks, prefix);
        counts.delete(Bytes.wrap(prefix));
        marks.put(InboxKeys.mark(userKey, InboxKeys.MARK_ERASED, ""), InboxKeys.longBytes(at));
    }

    /** Drops the marks past retention and one sweep interval, with a tombstone of each on the read topic. */
    private void purge(long now) {
        long cutoff = now - properties.retention().toMillis() - properties.sweepInterval().toMillis();
        List<KeyValue<Bytes, String>> aged = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = marks.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                if (InboxKeys.longOf(entry.value) < cutoff) {
                    aged.add(KeyValue.pair(entry.key, ReadMarks.recordKeyOf(entry.key)));
                }
            }
        }
        for (KeyValue<Bytes, String> mark : aged) {
            marks.delete(mark.key);
            if (mark.value != null) {
                context.forward(new Record<>(mark.value, (String) null, now));
            }
        }
    }

    private static void deleteRange(KeyValueStore<Bytes, byte[]> store, byte[] prefix) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> range = store.range(Bytes.wrap(prefix), InboxKeys.upperBound(prefix))) {
            range.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }
}

package dev.tidings.gateway.inbox;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
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
 */
final class ReadStateProcessor implements Processor<String, String, Void, Void> {

    private KeyValueStore<Bytes, byte[]> items;
    private KeyValueStore<Bytes, byte[]> counts;
    private KeyValueStore<Bytes, byte[]> marks;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        items = context.getStateStore(InboxTopology.ITEMS);
        counts = context.getStateStore(InboxTopology.COUNTS);
        marks = context.getStateStore(InboxTopology.MARKS);
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

    private static void deleteRange(KeyValueStore<Bytes, byte[]> store, byte[] prefix) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> range = store.range(Bytes.wrap(prefix), InboxKeys.upperBound(prefix))) {
            range.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }
}

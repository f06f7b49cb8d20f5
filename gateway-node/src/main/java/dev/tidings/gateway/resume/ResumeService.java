package dev.tidings.gateway.resume;

import java.util.Comparator;
import java.util.List;

import dev.tidings.common.cursor.Cursor;
import dev.tidings.common.cursor.CursorCodec;
import dev.tidings.common.cursor.InvalidCursorException;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.routing.FrameEncoder;
import dev.tidings.gateway.session.ClientSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Resumes a client from its cursor, on any node: holds the session's live frames back, replays
 * every notification addressed to the client between its cursor and this node's position (from
 * the {@link RecoveryWindow}, else from Kafka through the shared {@link CatchUpReader}), sends
 * {@code resumed}, then releases the held live frames the replay did not cover. Nothing is lost
 * in between, and the server sends nothing twice.
 *
 * <p>Thread-safe: each resume works on its own session; shared state is the thread-safe window,
 * position and reader.
 */
@Service
public class ResumeService {

    private static final Comparator<RecoveryWindow.Entry> BY_POSITION =
            Comparator.comparingInt(RecoveryWindow.Entry::partition).thenComparingLong(RecoveryWindow.Entry::offset);

    private final NodePosition position;
    private final RecoveryWindow window;
    private final CatchUpReader reader;
    private final FrameEncoder frames;
    private final int maxReplay;
    private final Counter fromWindow;
    private final Counter fromKafka;
    private final Counter unrecovered;
    private final Counter badCursor;

    ResumeService(NodePosition position, RecoveryWindow window, CatchUpReader reader, FrameEncoder frames,
            GatewayProperties properties, MeterRegistry meters) {
        this.position = position;
        this.window = window;
        this.reader = reader;
        this.frames = frames;
        this.maxReplay = properties.maxReplay();
        this.fromWindow = outcome(meters, "window");
        this.fromKafka = outcome(meters, "kafka");
        this.unrecovered = outcome(meters, "unrecovered");
        this.badCursor = outcome(meters, "bad_cursor");
    }

    /** Resumes the session from the cursor string; answers with {@code resumed} (or an error and {@code resumed}). */
    public void resume(ClientSession session, String cursorText) {
        if (!session.beginResume()) {
            session.send(frames.error("resume_in_progress", "a resume is already running on this session"));
            return;
        }
        Cursor from;
        try {
            from = CursorCodec.decode(cursorText);
        }
        catch (InvalidCursorException ex) {
            badCursor.increment();
            session.send(frames.error("bad_cursor", ex.getMessage()));
            finish(session, position.snapshot(), null, List.of(), false);
            return;
        }
        Cursor to = position.snapshot();
        if (to == null || !to.topicId().equals(from.topicId()) || to.partitions() != from.partitions()) {
            // Another topic (recreated, or repartitioned): the gap cannot be filled.
            finish(session, to, null, List.of(), false);
            return;
        }
        long[] fromOffsets = from.nextOffsets();
        long[] toOffsets = to.nextOffsets();
        if (coveredByWindow(fromOffsets, toOffsets)) {
            List<RecoveryWindow.Entry> entries = window.addressedTo(session.principal(), fromOffsets, toOffsets);
            // Re-check after reading: an eviction while we read would have left a hole.
            if (coveredByWindow(fromOffsets, toOffsets)) {
                fromWindow.increment();
                finish(session, to, from, entries, true);
                return;
            }
        }
        fromKafka.increment();
        reader.read(session.principal(), fromOffsets, toOffsets,
                (entries, complete) -> finish(session, to, from, entries, complete));
    }

    private boolean coveredByWindow(long[] from, long[] to) {
        for (int p = 0; p < from.length; p++) {
            if (from[p] < to[p] && !window.covers(p, from[p])) {
                return false;
            }
        }
        return true;
    }

    private void finish(ClientSession session, @Nullable Cursor to, @Nullable Cursor from,
            List<RecoveryWindow.Entry> found, boolean recovered) {
        long now = System.currentTimeMillis();
        // A resume sent on a session that was already receiving live frames skips what it got live.
        List<RecoveryWindow.Entry> entries = found.stream().filter(e -> e.expiresAtMs() >= now)
                .filter(e -> !session.deliveredLive(e.partition(), e.offset())).sorted(BY_POSITION).toList();
        if (entries.size() > maxReplay) {
            entries = entries.subList(entries.size() - maxReplay, entries.size());
            recovered = false;
        }
        if (!recovered) {
            unrecovered.increment();
        }
        long[] upTo = to == null ? new long[0] : to.nextOffsets();
        String finalCursor = null;
        if (to != null) {
            long[] cursor = from == null ? upTo.clone() : from.nextOffsets();
            int partitionDone = -1;
            for (RecoveryWindow.Entry e : entries) {
                // Partitions are replayed in order: once past one, the client has all of it.
                while (partitionDone < e.partition() - 1) {
                    partitionDone++;
                    cursor[partitionDone] = Math.max(cursor[partitionDone], upTo[partitionDone]);
                }
                cursor[e.partition()] = Math.max(cursor[e.partition()], e.offset() + 1);
                session.sendReplayed(
                        FrameEncoder.withCursor(e.frame(), CursorCodec.encode(new Cursor(to.topicId(), cursor))));
            }
            for (int p = 0; p < cursor.length; p++) {
                cursor[p] = Math.max(cursor[p], upTo[p]);
            }
            finalCursor = CursorCodec.encode(new Cursor(to.topicId(), cursor));
        }
        session.send(frames.resumed(recovered, entries.size(), finalCursor));
        // The client has everything below its cursor and everything the replay covered.
        long[] floor = upTo.clone();
        if (from != null) {
            for (int p = 0; p < floor.length; p++) {
                floor[p] = Math.max(floor[p], from.nextOffset(p));
            }
        }
        session.finishHolding(floor);
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("tidings.gateway.resumes").tag("outcome", outcome)
                .description("Resumes by where the missed notifications came from").register(meters);
    }
}

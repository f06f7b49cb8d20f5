package dev.tidings.gateway.resume;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.tidings.common.cursor.Cursor;
import dev.tidings.common.cursor.CursorCodec;
import dev.tidings.common.cursor.InvalidCursorException;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.ErrorCode;
import dev.tidings.gateway.protocol.FrameEncoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Resumes a client from its cursor, on any node: holds the session's live frames back, finds every
 * notification addressed to the client between its cursor and this node's position (in the
 * {@link RecoveryWindow}, else in Kafka through the shared {@link CatchUpReader}), and hands the
 * session a {@link Replay} that sends them page by page, then {@code resumed}, then the held live
 * frames the replay did not cover. Nothing is lost in between, and the server sends nothing twice.
 *
 * <p>A resume replays at most {@code tidings.gateway.max-replay} notifications, the most recent
 * ones; past that, or when part of the gap is gone from Kafka, it says {@code recovered:false}.
 * Cursors are signed ({@link CursorCodec}): one this deployment did not issue gets {@code bad_cursor}.
 *
 * <p>Thread-safe: each resume works on its own session; shared state is the thread-safe window,
 * position and reader.
 */
@Service
public class ResumeService {

    static final Comparator<RecoveryWindow.Entry> BY_POSITION =
            Comparator.comparingInt(RecoveryWindow.Entry::partition).thenComparingLong(RecoveryWindow.Entry::offset);
    /** Most recent first: by Kafka timestamp, then by offset within a partition. */
    static final Comparator<RecoveryWindow.Entry> MOST_RECENT_FIRST =
            Comparator.comparingLong(RecoveryWindow.Entry::publishedAtMs).thenComparingLong(RecoveryWindow.Entry::offset)
                    .reversed();

    private final NodePosition position;
    private final RecoveryWindow window;
    private final CatchUpReader reader;
    private final FrameEncoder frames;
    private final CursorCodec cursors;
    private final int maxReplay;
    private final int maxResumesPerMinute;
    private final Counter fromWindow;
    private final Counter fromKafka;
    private final Counter unrecovered;
    private final Counter badCursor;

    ResumeService(NodePosition position, RecoveryWindow window, CatchUpReader reader, FrameEncoder frames,
            CursorCodec cursors, GatewayProperties properties, MeterRegistry meters) {
        this.position = position;
        this.window = window;
        this.reader = reader;
        this.frames = frames;
        this.cursors = cursors;
        this.maxReplay = properties.maxReplay();
        this.maxResumesPerMinute = properties.maxResumesPerMinute();
        this.fromWindow = outcome(meters, "window");
        this.fromKafka = outcome(meters, "kafka");
        this.unrecovered = outcome(meters, "unrecovered");
        this.badCursor = outcome(meters, "bad_cursor");
    }

    /**
     * The cursor a connection's {@code welcome} carries: the node's position, or for a connection
     * resuming from {@code cursorText} the client's own cursor when this node can resume from it,
     * so that a client that stores it and drops mid-resume misses nothing (else the node's position,
     * as the gap cannot be filled anyway).
     */
    public @Nullable String welcomeCursor(@Nullable String cursorText) {
        if (cursorText == null) {
            return position.encodedSnapshot();
        }
        Cursor to = position.snapshot();
        try {
            Cursor from = cursors.decode(cursorText);
            if (to != null && to.topicId().equals(from.topicId()) && to.partitions() == from.partitions()) {
                return cursorText;
            }
        }
        catch (InvalidCursorException ex) {
            // the resume says so with bad_cursor
        }
        return position.encodedSnapshot();
    }

    /**
     * Answers a {@code resume} frame: resumes the session from its cursor, unless the client sent
     * more than {@code tidings.gateway.max-resumes-per-minute} of them in the last minute, which
     * gets a {@code rate_limited} error. Call on the session's event loop, as frames are read.
     */
    public void onResumeFrame(ResumingSession session, String cursorText) {
        if (session.gate().allowResumeFrame(maxResumesPerMinute)) {
            resume(session, cursorText);
        }
        else {
            session.send(frames.error(ErrorCode.RATE_LIMITED, "more than " + maxResumesPerMinute
                    + " resume frames in a minute (tidings.gateway.max-resumes-per-minute)"));
        }
    }

    /**
     * Resumes the session from the cursor string; answers with {@code resumed} (or an error and
     * {@code resumed}). Call on the session's event loop.
     */
    public void resume(ResumingSession session, String cursorText) {
        if (!session.gate().begin()) {
            session.send(frames.error(ErrorCode.RESUME_IN_PROGRESS, "a resume is already running on this session"));
            return;
        }
        Cursor from;
        try {
            from = cursors.decode(cursorText);
        }
        catch (InvalidCursorException ex) {
            badCursor.increment();
            session.send(frames.error(ErrorCode.BAD_CURSOR, ex.getMessage()));
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
        int epoch = window.epoch();
        if (coveredByWindow(fromOffsets, toOffsets)) {
            List<RecoveryWindow.Entry> entries = window.addressedTo(session.principal(), fromOffsets, toOffsets);
            // Re-check after reading: an eviction or a reset while we read would have left a hole.
            if (coveredByWindow(fromOffsets, toOffsets) && window.epoch() == epoch) {
                fromWindow.increment();
                finish(session, to, from, entries, true);
                return;
            }
        }
        fromKafka.increment();
        reader.read(session.principal(), fromOffsets, toOffsets,
                (entries, complete, release) -> finish(session, to, from, entries, complete, release));
    }

    private boolean coveredByWindow(long[] from, long[] to) {
        for (int p = 0; p < from.length; p++) {
            if (from[p] < to[p] && !window.covers(p, from[p])) {
                return false;
            }
        }
        return true;
    }

    private void finish(ResumingSession session, @Nullable Cursor to, @Nullable Cursor from,
            List<RecoveryWindow.Entry> found, boolean recovered) {
        finish(session, to, from, found, recovered, CatchUpReader.Release.NONE);
    }

    private void finish(ResumingSession session, @Nullable Cursor to, @Nullable Cursor from,
            List<RecoveryWindow.Entry> found, boolean recovered, CatchUpReader.Release release) {
        long now = System.currentTimeMillis();
        // A resume on a session that was receiving live frames skips what it got live, and only that:
        // a record routed but not yet written to the session is replayed, and its live copy dropped.
        LiveDeliveries live = session.gate().liveDeliveries();
        List<RecoveryWindow.Entry> entries = new ArrayList<>(found.size());
        for (RecoveryWindow.Entry e : found) {
            if (e.expiresAtMs() >= now && !live.covers(e.partition(), e.offset())) {
                entries.add(e);
            }
        }
        if (entries.size() > maxReplay) {
            entries.sort(MOST_RECENT_FIRST);
            entries = new ArrayList<>(entries.subList(0, maxReplay));
            recovered = false;
        }
        entries.sort(BY_POSITION);
        if (!recovered) {
            unrecovered.increment();
        }
        session.catchUp(new Replay(entries, to, from, recovered, release));
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("tidings.gateway.resumes").tag("outcome", outcome)
                .description("Resumes by where the missed notifications came from").register(meters);
    }

    /**
     * One resume's catch-up, pulled by the session as its connection drains: each replayed frame is
     * the shared notification frame with this client's cursor appended, made when it is sent, so a
     * replay holds one page of copies at a time. Replayed in partition then offset order: each frame's
     * cursor covers the partitions before it whole and its own up to the frame.
     */
    private final class Replay implements CatchUp {

        private final List<RecoveryWindow.Entry> entries;
        private final @Nullable Cursor to;
        private final boolean recovered;
        private final CatchUpReader.Release release;
        private final long[] upTo;
        private final long[] cursor;
        private final long[] floor;
        private int next;
        private int partitionDone = -1;

        Replay(List<RecoveryWindow.Entry> entries, @Nullable Cursor to, @Nullable Cursor from, boolean recovered,
                CatchUpReader.Release release) {
            this.entries = entries;
            this.to = to;
            this.recovered = recovered;
            this.release = release;
            this.upTo = to == null ? new long[0] : to.nextOffsets();
            this.cursor = from == null ? upTo.clone() : from.nextOffsets();
            // The client has everything below its cursor and everything the replay covers.
            this.floor = upTo.clone();
            if (from != null) {
                for (int p = 0; p < floor.length; p++) {
                    floor[p] = Math.max(floor[p], from.nextOffset(p));
                }
            }
        }

        @Override
        public byte @Nullable [] next() {
            if (to == null || next >= entries.size()) {
                return null;
            }
            RecoveryWindow.Entry e = entries.get(next++);
            // Partitions are replayed in order: once past one, the client has all of it.
            while (partitionDone < e.partition() - 1) {
                partitionDone++;
                cursor[partitionDone] = Math.max(cursor[partitionDone], upTo[partitionDone]);
            }
            cursor[e.partition()] = Math.max(cursor[e.partition()], e.offset() + 1);
            release.sent(e.frame().length);
            return FrameEncoder.withCursor(e.frame(), cursors.encode(new Cursor(to.topicId(), cursor)));
        }

        @Override
        public byte[] end() {
            String finalCursor = null;
            if (to != null) {
                for (int p = 0; p < cursor.length; p++) {
                    cursor[p] = Math.max(cursor[p], upTo[p]);
                }
                finalCursor = cursors.encode(new Cursor(to.topicId(), cursor));
            }
            return frames.resumed(recovered, entries.size(), finalCursor)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public long[] floor() {
            return floor.clone();
        }

        @Override
        public void close() {
            next = entries.size();
            release.rest();
        }
    }
}

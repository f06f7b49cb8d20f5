package dev.tidings.gateway.resume;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One session's side of its resumes: which live frames go out now, which wait while a resume
 * prepares and sends its replay, and which the client has already. With the replay ({@link CatchUp})
 * it keeps one contract: the client gets every record addressed to it once — no duplicates, no gaps.
 *
 * <ul>
 * <li>While a resume runs, live frames are held back ({@link #admit} answers {@link Admission#HELD}),
 * up to a bound past which the session is too slow to keep ({@link Admission#OVERFLOW}).
 * <li>What the session got live before the resume began ({@link #liveDeliveries}) is what the replay
 * skips, and only that.
 * <li>Once the replay is sent, its floor ({@link #replayed}) says per partition below which offset the
 * client has everything: held frames and later live frames below it are dropped
 * ({@link Admission#COVERED}), the other held frames go out in order ({@link #nextHeld}), then live
 * delivery goes on.
 * </ul>
 *
 * <p>Thread-safe: {@link #admit} may be called from any thread; the hold state is guarded by the
 * queue of held frames. {@link #sentLive}, {@link #replayed}, {@link #nextHeld} and
 * {@link #allowResumeFrame} are called on the session's event loop.
 */
public final class ResumeGate {

    /** What to do with a live frame. */
    public enum Admission {
        /** Write it now. */
        SEND,
        /** Held back until the running resume's replay is sent. */
        HELD,
        /** The client has it already (its cursor or a replay covered it): drop it. */
        COVERED,
        /** More frames wait than a resume may hold: the session cannot keep up. */
        OVERFLOW
    }

    /** A live frame held back during a resume. */
    public record HeldFrame(byte[] frame, int partition, long offset) {
    }

    private final int maxHeld;
    private final ArrayDeque<HeldFrame> held = new ArrayDeque<>();
    private volatile boolean holding;
    private boolean resuming;
    /** Per partition, offsets below this were already seen by the client (from its cursor or a replay). */
    private volatile long @Nullable [] floor;
    /**
     * Per partition, the first and the last offset delivered live (-1: none yet), written on the
     * event loop while not holding. Everything addressed to the session between them was delivered
     * live, in offset order; a record past the last may still be on its way.
     */
    private long @Nullable [] firstLive;
    private long @Nullable [] lastLive;
    /** When the session's recent resume frames arrived (a ring); event-loop confined. */
    private long @Nullable [] resumeFrames;
    private int resumeFrameAt;

    /**
     * @param holding whether live frames are held from the start (a connection that resumes from
     *     the cursor of its handshake: nothing may overtake its replay)
     * @param maxHeld how many live frames a resume may hold back
     */
    public ResumeGate(boolean holding, int maxHeld) {
        this.holding = holding;
        this.maxHeld = maxHeld;
    }

    /** What to do with the live frame of the record at {@code partition}/{@code offset}. */
    public Admission admit(byte[] frame, int partition, long offset) {
        if (holding) {
            synchronized (held) {
                if (holding) {
                    if (held.size() >= maxHeld) {
                        return Admission.OVERFLOW;
                    }
                    held.addLast(new HeldFrame(frame, partition, offset));
                    return Admission.HELD;
                }
            }
        }
        return covered(partition, offset) ? Admission.COVERED : Admission.SEND;
    }

    /** How many live frames a resume may hold back. */
    public int maxHeld() {
        return maxHeld;
    }

    /** Whether the client has the record already: its cursor or a finished replay covered it. */
    private boolean covered(int partition, long offset) {
        // Read after seeing holding == false: replayed() writes the floor before nextHeld() clears holding.
        long[] seen = floor;
        return seen != null && partition < seen.length && offset < seen[partition];
    }

    /** Notes a live frame written to the session; on the event loop, for frames {@link #admit} said to send. */
    public void sentLive(int partition, long offset) {
        long[] first = firstLive;
        long[] last = lastLive;
        if (first == null || last == null || partition >= first.length) {
            int length = Math.max(partition + 1, first == null ? 0 : first.length);
            first = grown(first, length);
            last = grown(last, length);
            firstLive = first;
            lastLive = last;
        }
        if (first[partition] < 0) {
            first[partition] = offset;
        }
        last[partition] = Math.max(last[partition], offset);
    }

    private static long[] grown(long @Nullable [] offsets, int length) {
        long[] grown = new long[length];
        Arrays.fill(grown, -1);
        if (offsets != null) {
            System.arraycopy(offsets, 0, grown, 0, offsets.length);
        }
        return grown;
    }

    /**
     * Starts a resume: live frames are held back from now on (if they were not already). Returns
     * false when a resume is already running.
     */
    public boolean begin() {
        synchronized (held) {
            if (resuming) {
                return false;
            }
            resuming = true;
            holding = true;
            return true;
        }
    }

    /**
     * What the session got live before its current resume began, per partition: the replay must skip
     * these and only these. Read once the resume began, when it no longer changes.
     */
    public LiveDeliveries liveDeliveries() {
        synchronized (held) {
            return new LiveDeliveries(firstLive == null ? new long[0] : firstLive.clone(),
                    lastLive == null ? new long[0] : lastLive.clone());
        }
    }

    /** The resume's replay was sent: the client has everything below {@code covered} per partition. */
    public void replayed(long[] covered) {
        long[] merged = covered.clone();
        long[] current = floor;
        if (current != null) {
            for (int p = 0; p < Math.min(current.length, merged.length); p++) {
                merged[p] = Math.max(merged[p], current[p]);
            }
        }
        floor = merged;
    }

    /**
     * The next held frame the replay did not cover, in the order it arrived; {@code null} once none
     * is left, which ends the resume: live frames go out again from then on.
     */
    public @Nullable HeldFrame nextHeld() {
        synchronized (held) {
            HeldFrame next;
            while ((next = held.pollFirst()) != null) {
                if (!covered(next.partition(), next.offset())) {
                    return next;
                }
            }
            holding = false;
            resuming = false;
            return null;
        }
    }

    /** Drops what is held (the session closed). */
    public void clear() {
        synchronized (held) {
            held.clear();
        }
    }

    /**
     * Whether the client may send another {@code resume} frame: at most {@code perMinute} in any
     * minute. Call on the event loop, as frames are read.
     */
    public boolean allowResumeFrame(int perMinute) {
        long now = System.nanoTime();
        long[] ring = resumeFrames;
        if (ring == null || ring.length != perMinute) {
            ring = new long[perMinute];
            Arrays.fill(ring, now - TimeUnit.MINUTES.toNanos(2));
            resumeFrames = ring;
        }
        if (now - ring[resumeFrameAt] < TimeUnit.MINUTES.toNanos(1)) {
            return false;
        }
        ring[resumeFrameAt] = now;
        resumeFrameAt = (resumeFrameAt + 1) % ring.length;
        return true;
    }
}

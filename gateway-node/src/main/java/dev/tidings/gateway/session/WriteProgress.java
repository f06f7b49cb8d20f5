package dev.tidings.gateway.session;

/**
 * Whether a connection's socket is taking what was written to it: the bytes written ever, the most
 * seen taken, and when the socket last took any. A session whose unread bytes pass
 * {@link #LAGGING_BYTES} is watched by its shard's sweep from then on, until it catches up again;
 * sessions under it (every healthy one) cost the sweep nothing.
 *
 * <p>Confined to the session's event loop.
 */
final class WriteProgress {

    /** Unread bytes past which a session is watched by its shard's sweep (send timeout, node budget). */
    static final long LAGGING_BYTES = 8192;

    /** Bytes the session's writes added to the outbound buffer, ever. */
    private long enqueued;
    /** Most bytes seen taken by the socket ({@code enqueued} less what waits), and the partial write seen then. */
    private long takenMark;
    private long partialMark;
    private long lastProgressNanos;
    /** Whether the session is on its shard's sweep list. */
    private boolean watched;

    /**
     * Counts a write that took the outbound buffer from {@code before} to {@code after} unread bytes;
     * true when the session lags from now on and must join its shard's sweep.
     */
    boolean wrote(long before, long after, long partial, long now) {
        enqueued += Math.max(0, after - before);
        if (after > LAGGING_BYTES && !watched) {
            watched = true;
            takenMark = enqueued - after;
            partialMark = partial;
            lastProgressNanos = now;
            return true;
        }
        return false;
    }

    /**
     * Looks at the buffer again ({@code pending} unread bytes, {@code partial} the progress of the
     * write under way): notes whether the socket took anything since the last look, and answers how
     * long it has taken nothing.
     */
    long stalledFor(long pending, long partial, long now) {
        long taken = enqueued - pending;
        if (taken > takenMark || partial != partialMark || pending == 0) {
            takenMark = Math.max(takenMark, taken);
            partialMark = partial;
            lastProgressNanos = now;
        }
        return now - lastProgressNanos;
    }

    /** How long the socket has taken nothing, as of the last look. */
    long stalledNanos(long now) {
        return now - lastProgressNanos;
    }

    /** The session left the sweep: it caught up, or closed. */
    void unwatched() {
        watched = false;
    }
}

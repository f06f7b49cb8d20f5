package dev.tidings.gateway.resume;

import org.jspecify.annotations.Nullable;

/**
 * What a resume sends a session before the live frames it held back: the replayed notifications,
 * each with its own cursor, then the frame that ends the resume. The session pulls the frames one
 * at a time as its connection drains ({@link ResumingSession#catchUp}), so a replay costs the node a
 * page per session, not the whole replay.
 *
 * <p>Called on the session's event loop only.
 */
public interface CatchUp {

    /** The next replayed frame, or {@code null} when none is left. */
    byte @Nullable [] next();

    /** The frame sent after the last replayed one ({@code resumed}). */
    byte[] end();

    /**
     * Per partition, the offsets below which the client has everything once the catch-up is sent:
     * live frames below them are dropped, as the replay or the client's cursor covered them.
     */
    long[] floor();

    /** Called once, when the catch-up was sent or the session closed first: releases what it holds. */
    default void close() {
    }
}

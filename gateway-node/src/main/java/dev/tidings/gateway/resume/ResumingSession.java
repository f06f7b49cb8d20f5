package dev.tidings.gateway.resume;

import dev.tidings.common.auth.Principal;

/** What a resume needs of a session: who it is, its {@link ResumeGate}, and a way to send it frames. */
public interface ResumingSession {

    /** Who is connected: what the replay is addressed by. */
    Principal principal();

    /** The session's hold and floor state. */
    ResumeGate gate();

    /** Sends a control frame (an error); false when the session is closed or cut. */
    boolean send(String frame);

    /**
     * Sends the resume's catch-up, from any thread: its replayed frames as the connection drains,
     * then its end frame, then the held live frames it did not cover.
     */
    void catchUp(CatchUp catchUp);
}

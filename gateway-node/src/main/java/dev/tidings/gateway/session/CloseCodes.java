package dev.tidings.gateway.session;

import org.springframework.web.reactive.socket.CloseStatus;

/** The close statuses of the Tidings WebSocket protocol. */
public final class CloseCodes {

    /** Bad or expired token (1008). */
    public static final CloseStatus POLICY = CloseStatus.POLICY_VIOLATION;

    /** A client frame over the inbound limit (1009). */
    public static final CloseStatus TOO_BIG = CloseStatus.TOO_BIG_TO_PROCESS;

    /** The node is full or shutting down: reconnect elsewhere with jitter (1013). */
    public static final CloseStatus TRY_AGAIN_LATER = CloseStatus.SERVICE_OVERLOAD;

    /** The client does not read fast enough to keep up (4408). */
    public static final CloseStatus TOO_SLOW = new CloseStatus(4408, "client too slow");

    private CloseCodes() {
    }
}

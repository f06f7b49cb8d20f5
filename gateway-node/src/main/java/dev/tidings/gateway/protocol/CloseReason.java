package dev.tidings.gateway.protocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Every reason a gateway closes a WebSocket: the close status the client is sent for it (code and
 * reason text, as {@code docs/protocol.md} lists them) and the level at which the close is logged.
 * A session is closed, and a connection refused, only through {@link #closing}, which logs the close
 * and answers its status.
 *
 * <p>Immutable.
 */
public enum CloseReason {

    /** The token's {@code exp} passed while the session was open (1008): reconnect with a fresh token. */
    TOKEN_EXPIRED(1008, "token expired", Level.DEBUG),

    /** The session lived {@code tidings.gateway.max-token-lifetime} on one token (1008): reconnect with a fresh one. */
    TOKEN_LIFETIME(1008, "token honoured for tidings.gateway.max-token-lifetime: reconnect", Level.DEBUG),

    /** The user already has {@code tidings.gateway.max-sessions-per-user} sessions on this node (1008). */
    TOO_MANY_SESSIONS(1008, "too many sessions for this user", Level.DEBUG),

    /** The node already has {@code tidings.gateway.max-connections} sessions (1013): reconnect elsewhere. */
    NODE_FULL(1013, "node is full", Level.DEBUG),

    /** The node is shutting down (1013): reconnect elsewhere with the cursor. */
    SHUTTING_DOWN(1013, "node shutting down, reconnect elsewhere", Level.DEBUG),

    /** The client sent a binary frame (1003): the protocol is JSON text. */
    BINARY_FRAME(1003, "binary frames not supported", Level.DEBUG),

    /** The client sent a text frame over {@code tidings.gateway.max-inbound-frame-bytes} (1009). */
    FRAME_TOO_BIG(1009, "frame over the inbound limit", Level.DEBUG),

    /** The client sent nothing for {@code tidings.gateway.idle-timeout} (1001): clients ping. */
    IDLE(1001, "idle timeout", Level.DEBUG),

    /** The client does not read fast enough to keep up (4408): what waited for it is dropped. */
    TOO_SLOW(4408, "client too slow", Level.INFO);

    private static final Logger log = LoggerFactory.getLogger(CloseReason.class);

    private final CloseStatus status;
    private final Level level;

    CloseReason(int code, String reason, Level level) {
        this.status = new CloseStatus(code, reason);
        this.level = level;
    }

    /** The close status sent to the client. */
    public CloseStatus status() {
        return status;
    }

    /** The level at which a close for this reason is logged. */
    public Level level() {
        return level;
    }

    /**
     * Logs that connection {@code connection} of user {@code user} is closed for this reason, with
     * {@code detail} (what happened; empty when the reason says it all), and answers the status to
     * close it with.
     */
    public CloseStatus closing(String connection, String user, String detail) {
        if (log.isEnabledForLevel(level)) {
            log.atLevel(level).log("Session {} of {} closed with {} ({}){}", connection, user, status.getCode(),
                    status.getReason(), detail.isEmpty() ? "" : ": " + detail);
        }
        return status;
    }
}

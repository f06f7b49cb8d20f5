package dev.tidings.gateway.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity, limits and Kafka settings of a gateway node, bound from {@code tidings.gateway.*}.
 *
 * @param nodeId stable id of this node ({@code TIDINGS_NODE_ID}, else the host name); names the
 *     consumer group {@code tidings-gateway-<nodeId>}, so it must survive restarts
 * @param allowedOrigins WebSocket {@code Origin} patterns allowed to connect
 * @param maxInboundFrameBytes largest client frame; larger closes the session with 1009
 * @param maxQueuedFrames most frames waiting for one session's socket before it is cut with 4408
 * @param maxQueuedBytes most bytes waiting for one session's socket before it is cut with 4408
 * @param sendTimeout longest a session's socket may take nothing while bytes wait for it before
 *     the session is cut with 4408
 * @param maxConnections most sessions on this node; more are closed with 1013
 * @param maxSessionsPerUser most sessions of one user on this node; more are closed with 1008
 * @param idleTimeout a session that sends nothing for this long is closed (clients ping)
 * @param recoveryWindowBytes memory for the recent-records window that serves most resumes
 * @param recoveryWindowAge oldest record the recent-records window keeps
 * @param maxReplay most notifications one resume replays; beyond it the resume says {@code recovered:false}
 * @param catchUpTimeout longest a resume may spend reading Kafka for records older than the window
 * @param maxOutboundBytes most bytes waiting in all of this node's connections together; past it the
 *     node stops taking records from Kafka until its clients have read enough, so a node whose
 *     clients all fall behind keeps its backlog in Kafka rather than in memory
 * @param maxDispatchBacklog most records handed to the event loops and not yet written to their
 *     sessions; past it the Kafka consumer waits, so a backlog stays in Kafka rather than in memory
 * @param commitInterval how often the node commits the offsets of what it dispatched; a crash
 *     replays at most this much, which clients de-duplicate by id
 * @param shutdownTimeout on shutdown, how long the node waits for its sessions' 1013 closes to go out
 *     after its consumer stopped; keep it under {@code spring.lifecycle.timeout-per-shutdown-phase}
 * @param resumeBufferBytes most replayed bytes waiting in all of this node's connections together;
 *     resumes past it wait their turn (a reconnect storm costs at most this much memory)
 * @param catchUpBufferBytes most bytes of matched records the Kafka catch-up holds for resumes not
 *     yet sent; a catch-up pass that would hold more serves part of its resumes and queues the rest
 * @param maxCatchUpRecords most records one resume may read from Kafka (per resume, over all
 *     partitions, the most recent ones); an older cursor resumes with {@code recovered:false}
 * @param maxResumesPerMinute most {@code resume} frames one session may send per minute; more get an
 *     {@code error} frame {@code rate_limited}
 * @param cursorKeys secrets that sign cursors (HMAC-SHA256): the first signs, every one verifies, so a
 *     key is rotated by putting the new one first and dropping the old one once its cursors aged out;
 *     every node of a deployment must share them. Empty: derived from {@code tidings.jwt.secret}
 * @param maxTokenLifetime longest a session lives on one token, whatever its {@code exp}; then it is
 *     closed with 1008 unless the client refreshed its token in band
 * @param tokenExpiryWarning how long before a session's token ends it gets an {@code expiring} frame;
 *     0 sends none
 * @param maxRefreshesPerMinute most {@code refresh} frames one session may send per minute; more get an
 *     {@code error} frame {@code rate_limited}
 * @param handshakeMaxWait a {@code /ws} or {@code /sse} handshake whose request waited longer than this on the
 *     node before the node got to it (a node behind in a reconnect storm) is answered 503 with
 *     {@code Retry-After: 1} before its token is checked: its client has most likely given up (the JS SDK waits
 *     10 s for its welcome) and serving it would only delay the handshakes still waited for. 0 turns the check
 *     off; measured on Linux's epoll transport only
 */
@ConfigurationProperties("tidings.gateway")
public record GatewayProperties(
        String nodeId,
        @DefaultValue("*") List<String> allowedOrigins,
        @DefaultValue("8192") int maxInboundFrameBytes,
        @DefaultValue("1000") int maxQueuedFrames,
        @DefaultValue("4194304") long maxQueuedBytes,
        @DefaultValue("30s") Duration sendTimeout,
        @DefaultValue("200000") int maxConnections,
        @DefaultValue("20") int maxSessionsPerUser,
        @DefaultValue("120s") Duration idleTimeout,
        @DefaultValue("67108864") long recoveryWindowBytes,
        @DefaultValue("15m") Duration recoveryWindowAge,
        @DefaultValue("10000") int maxReplay,
        @DefaultValue("30s") Duration catchUpTimeout,
        @DefaultValue("1024") int maxDispatchBacklog,
        @DefaultValue("536870912") long maxOutboundBytes,
        @DefaultValue("10s") Duration shutdownTimeout,
        @DefaultValue("1s") Duration commitInterval,
        @DefaultValue("67108864") long resumeBufferBytes,
        @DefaultValue("67108864") long catchUpBufferBytes,
        @DefaultValue("250000") long maxCatchUpRecords,
        @DefaultValue("6") int maxResumesPerMinute,
        @DefaultValue("") List<String> cursorKeys,
        @DefaultValue("24h") Duration maxTokenLifetime,
        @DefaultValue("60s") Duration tokenExpiryWarning,
        @DefaultValue("6") int maxRefreshesPerMinute,
        @DefaultValue("5s") Duration handshakeMaxWait) {

    public GatewayProperties {
        require(nodeId != null && nodeId.matches("[A-Za-z0-9._-]{1,64}"),
                "tidings.gateway.node-id (TIDINGS_NODE_ID) must be 1-64 characters of letters, digits and . _ -");
        require(maxInboundFrameBytes >= 256, "tidings.gateway.max-inbound-frame-bytes must be at least 256");
        require(maxQueuedFrames >= 1, "tidings.gateway.max-queued-frames must be at least 1");
        require(maxQueuedBytes >= 1024, "tidings.gateway.max-queued-bytes must be at least 1024");
        require(sendTimeout.toMillis() >= 100, "tidings.gateway.send-timeout must be at least 100ms");
        require(maxConnections >= 1, "tidings.gateway.max-connections must be at least 1");
        require(maxSessionsPerUser >= 1, "tidings.gateway.max-sessions-per-user must be at least 1");
        require(idleTimeout.toSeconds() >= 5, "tidings.gateway.idle-timeout must be at least 5s");
        require(recoveryWindowBytes >= 0, "tidings.gateway.recovery-window-bytes must not be negative");
        require(!recoveryWindowAge.isNegative(), "tidings.gateway.recovery-window-age must not be negative");
        require(maxReplay >= 1, "tidings.gateway.max-replay must be at least 1");
        require(maxDispatchBacklog >= 1, "tidings.gateway.max-dispatch-backlog must be at least 1");
        require(maxOutboundBytes >= maxQueuedBytes,
                "tidings.gateway.max-outbound-bytes must be at least tidings.gateway.max-queued-bytes");
        require(catchUpTimeout.toMillis() >= 100, "tidings.gateway.catch-up-timeout must be at least 100ms");
        require(commitInterval.toMillis() >= 1 && commitInterval.toMinutes() < 5,
                "tidings.gateway.commit-interval must be between 1ms and 5m");
        require(resumeBufferBytes >= 65536, "tidings.gateway.resume-buffer-bytes must be at least 65536");
        require(catchUpBufferBytes >= 65536, "tidings.gateway.catch-up-buffer-bytes must be at least 65536");
        require(maxCatchUpRecords >= maxReplay,
                "tidings.gateway.max-catch-up-records must be at least tidings.gateway.max-replay");
        require(maxResumesPerMinute >= 1, "tidings.gateway.max-resumes-per-minute must be at least 1");
        cursorKeys = cursorKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        require(cursorKeys.stream().allMatch(k -> k.length() >= 32),
                "tidings.gateway.cursor-keys must each be at least 32 characters");
        require(maxTokenLifetime.toSeconds() >= 1, "tidings.gateway.max-token-lifetime must be at least 1s");
        require(!tokenExpiryWarning.isNegative(), "tidings.gateway.token-expiry-warning must not be negative");
        require(maxRefreshesPerMinute >= 1, "tidings.gateway.max-refreshes-per-minute must be at least 1");
        require(!handshakeMaxWait.isNegative(), "tidings.gateway.handshake-max-wait must not be negative");
        require(shutdownTimeout.toMillis() >= 100 && shutdownTimeout.toSeconds() <= 300,
                "tidings.gateway.shutdown-timeout must be between 100ms and 5m");
    }

    /** The node's Kafka consumer group. */
    public String consumerGroup() {
        return "tidings-gateway-" + nodeId;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

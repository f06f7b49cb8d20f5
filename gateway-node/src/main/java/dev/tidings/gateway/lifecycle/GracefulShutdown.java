package dev.tidings.gateway.lifecycle;

import java.time.Duration;

import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.gateway.session.SessionIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Shuts a gateway node down in the order that loses nothing (SIGTERM, or any context close):
 * <ol>
 *   <li>stop admitting sessions: handshakes are answered 503 and a session that slips through is
 *       closed with 1013 ({@link #isDraining()});</li>
 *   <li>stop the Kafka listener container and wait for it: the batch being dispatched finishes and
 *       its offsets are committed, so the node's consumer group resumes exactly after what its
 *       clients were sent;</li>
 *   <li>close every session with 1013 ("node shutting down, reconnect elsewhere"): clients
 *       reconnect to another node with their cursor, which resumes them without a gap;</li>
 *   <li>wait up to {@code tidings.gateway.shutdown-timeout} for the closes to go out.</li>
 * </ol>
 * Its phase is the highest, so this runs before the listener container's own stop and before the
 * web server's graceful shutdown ({@code server.shutdown=graceful}), which then finds no open
 * WebSocket to wait for.
 *
 * <p>Thread-safe: {@code draining} is volatile; start and stop are called by the context's
 * lifecycle thread.
 */
@Component
public class GracefulShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private final SessionIndex sessions;
    private final MessageListenerContainer consumer;
    private final Duration timeout;
    private final String nodeId;
    private volatile boolean running;
    private volatile boolean draining;

    GracefulShutdown(SessionIndex sessions, MessageListenerContainer consumer, GatewayProperties properties) {
        this.sessions = sessions;
        this.consumer = consumer;
        this.timeout = properties.shutdownTimeout();
        this.nodeId = properties.nodeId();
    }

    /** Whether the node is shutting down and admits no new session. */
    public boolean isDraining() {
        return draining;
    }

    @Override
    public void start() {
        draining = false;
        running = true;
    }

    @Override
    public void stop() {
        draining = true;
        long started = System.nanoTime();
        log.info("Node {} shutting down: refusing new sessions, stopping the consumer, then closing {} sessions",
                nodeId, sessions.size());
        if (consumer.isRunning()) {
            consumer.stop(); // waits for the batch in hand to be dispatched and committed
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        // A session registered while we iterate sees draining and closes itself; closing twice is a no-op.
        sessions.closeAll(CloseReason.SHUTTING_DOWN);
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            sessions.closeAll(CloseReason.SHUTTING_DOWN);
        }
        int left = sessions.size();
        if (left > 0) {
            log.warn("Node {}: {} sessions still open after tidings.gateway.shutdown-timeout ({} ms)", nodeId, left,
                    timeout.toMillis());
        }
        log.info("Node {} drained in {} ms", nodeId, (System.nanoTime() - started) / 1_000_000);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: before the listener container (its phase is lower) and the web server. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}

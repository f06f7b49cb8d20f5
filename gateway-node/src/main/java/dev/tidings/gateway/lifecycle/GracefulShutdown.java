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
 *   <li>close the sessions with 1013 ("node shutting down, reconnect elsewhere") at most
 *       {@code tidings.gateway.shutdown-close-rate} a second: their clients reconnect to another node
 *       with their cursor, which resumes them without a gap, and arrive there at a pace it can welcome
 *       them at instead of all within the SDK's first jitter. The consumer goes on meanwhile, so a
 *       session still open keeps receiving. Past three quarters of {@code tidings.gateway.shutdown-timeout}
 *       the rest are closed at once;</li>
 *   <li>stop the Kafka listener container and wait for it: the batch being dispatched finishes and
 *       its offsets are committed;</li>
 *   <li>close any session left, and wait up to {@code tidings.gateway.shutdown-timeout} (from the
 *       start) for the closes to go out.</li>
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

    /** How often, at least, the paced close takes its next slice of sessions. */
    private static final long SLICE_MILLIS = 20;

    private final SessionIndex sessions;
    private final MessageListenerContainer consumer;
    private final Duration timeout;
    private final int closeRate;
    private final String nodeId;
    private volatile boolean running;
    private volatile boolean draining;

    GracefulShutdown(SessionIndex sessions, MessageListenerContainer consumer, GatewayProperties properties) {
        this.sessions = sessions;
        this.consumer = consumer;
        this.timeout = properties.shutdownTimeout();
        this.closeRate = properties.shutdownCloseRate();
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
        long deadline = started + timeout.toNanos();
        log.info("Node {} shutting down: refusing new sessions, closing {} sessions (at most {} a second), "
                + "then stopping the consumer", nodeId, sessions.size(), closeRate);
        closeAtPace(started + timeout.toNanos() / 4 * 3);
        if (consumer.isRunning()) {
            consumer.stop(); // waits for the batch in hand to be dispatched and committed
        }
        // A session registered while we iterate sees draining and closes itself; closing twice is a no-op.
        sessions.closeAll(CloseReason.SHUTTING_DOWN);
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            if (!pause(20)) {
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

    /** Closes the open sessions at most {@code closeRate} a second until none is left open or {@code until}. */
    private void closeAtPace(long until) {
        if (closeRate == 0) {
            return;
        }
        long perSlice = Math.max(1, closeRate * SLICE_MILLIS / 1000);
        long sliceNanos = perSlice * 1_000_000_000L / closeRate;
        long next = System.nanoTime();
        while (System.nanoTime() < until) {
            if (sessions.closeSome(CloseReason.SHUTTING_DOWN, (int) Math.min(Integer.MAX_VALUE, perSlice)) < perSlice) {
                return; // none left open
            }
            next += sliceNanos;
            long wait = (Math.min(next, until) - System.nanoTime()) / 1_000_000;
            if (wait > 0 && !pause(wait)) {
                return;
            }
        }
    }

    /** Sleeps; false when interrupted (the interrupt is kept). */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
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

package dev.tidings.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.tidings.gateway.protocol.CloseReason;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Closes each session when its token expires ({@link CloseReason#TOKEN_EXPIRED}), or once it has
 * lived {@code tidings.gateway.max-token-lifetime} on a token that lasts longer
 * ({@link CloseReason#TOKEN_LIFETIME}): either way the client reconnects with a fresh token. One
 * timer per session, on a thread of its own; a closed session's timer leaves the queue at once.
 * Publishes {@code tidings.gateway.session.timers}.
 *
 * <p>Thread-safe: a scheduled executor.
 */
final class TokenExpiry {

    private final long maxLifetimeMillis;
    private final ScheduledThreadPoolExecutor timers;

    TokenExpiry(Duration maxTokenLifetime, MeterRegistry meters) {
        this.maxLifetimeMillis = maxTokenLifetime.toMillis();
        this.timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "session-timers");
            thread.setDaemon(true);
            return thread;
        });
        // A closed session's expiry leaves the queue at once instead of waiting there until its token's exp.
        timers.setRemoveOnCancelPolicy(true);
        Gauge.builder("tidings.gateway.session.timers", timers, t -> t.getQueue().size())
                .description("Token-expiry timers queued (one per open session)").register(meters);
    }

    /** Arms the session's timer; the session cancels it when it closes. */
    void arm(ClientSession session) {
        long untilExpiry = Duration.between(Instant.now(), session.principal().expiresAt()).toMillis();
        CloseReason reason = untilExpiry <= maxLifetimeMillis ? CloseReason.TOKEN_EXPIRED : CloseReason.TOKEN_LIFETIME;
        session.expireWith(timers.schedule(() -> session.close(reason),
                Math.max(0, Math.min(untilExpiry, maxLifetimeMillis)), TimeUnit.MILLISECONDS));
    }

    /** Stops the timers; the node's sessions are closed by its shutdown. */
    void stop() {
        timers.shutdownNow();
    }
}

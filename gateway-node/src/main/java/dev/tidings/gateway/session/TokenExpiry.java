package dev.tidings.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.gateway.protocol.FrameEncoder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Closes each session when its token expires ({@link CloseReason#TOKEN_EXPIRED}), or once it has
 * lived {@code tidings.gateway.max-token-lifetime} on a token that lasts longer
 * ({@link CloseReason#TOKEN_LIFETIME}), unless the client refreshed its token in band before then.
 * {@code tidings.gateway.token-expiry-warning} before the close, the session gets an
 * {@code expiring} frame saying in how many seconds, so that a client that cannot predict it can
 * refresh (a token that ends sooner than that gets none). One timer per session at a time, on a
 * thread of its own; a closed session's timer leaves the queue at once. Publishes {@code tidings.gateway.session.timers}.
 *
 * <p>Thread-safe: a scheduled executor.
 */
final class TokenExpiry {

    private final long maxLifetimeMillis;
    private final long warningMillis;
    private final ScheduledThreadPoolExecutor timers;

    TokenExpiry(Duration maxTokenLifetime, Duration warning, MeterRegistry meters) {
        this.maxLifetimeMillis = maxTokenLifetime.toMillis();
        this.warningMillis = warning.toMillis();
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

    /**
     * Arms the session's timer for its current token, in place of any armed before (a refresh), and
     * answers when it will close the session; the session cancels it when it closes.
     */
    Instant arm(ClientSession session) {
        long untilExpiry = Duration.between(Instant.now(), session.principal().expiresAt()).toMillis();
        CloseReason reason = untilExpiry <= maxLifetimeMillis ? CloseReason.TOKEN_EXPIRED : CloseReason.TOKEN_LIFETIME;
        long closeAt = System.currentTimeMillis() + Math.max(0, Math.min(untilExpiry, maxLifetimeMillis));
        warnThenClose(session, session.armExpiry(), reason, closeAt);
        return Instant.ofEpochMilli(closeAt);
    }

    /**
     * Arms the warning, then (from it) the close, both for arming {@code generation}: a refresh that
     * arms again meanwhile supersedes them, so an old warning never re-arms an old close.
     */
    private void warnThenClose(ClientSession session, int generation, CloseReason reason, long closeAt) {
        long untilClose = closeAt - System.currentTimeMillis();
        if (warningMillis > 0 && untilClose > warningMillis) {
            session.expireWith(generation, timers.schedule(() -> {
                ScheduledFuture<?> close = timers.schedule(() -> session.close(reason),
                        Math.max(0, closeAt - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (session.expireWith(generation, close)) {
                    session.send(FrameEncoder.expiring(closeAt - System.currentTimeMillis()));
                }
            }, untilClose - warningMillis, TimeUnit.MILLISECONDS));
            return;
        }
        // A token that ends sooner than the warning gets none: its client has only just sent it.
        session.expireWith(generation, timers.schedule(() -> session.close(reason), Math.max(0, untilClose),
                TimeUnit.MILLISECONDS));
    }

    /** Stops the timers; the node's sessions are closed by its shutdown. */
    void stop() {
        timers.shutdownNow();
    }
}

package dev.tidings.gateway.session;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;

/**
 * The node's {@link EventLoopShard}s: one per Netty event loop that has had a session, made with its
 * first session, each reporting to the node's {@link OutboundBudget}.
 *
 * <p>Thread-safe: a concurrent map.
 */
final class EventLoopShards {

    private final Map<EventLoop, EventLoopShard> byLoop = new ConcurrentHashMap<>();
    private final OutboundBudget budget;
    private final long stalledAfterNanos;

    /**
     * With {@code stalledAfter}: how long a session's socket may take nothing before its bytes stop
     * holding the consumer and may be cut for the node's budget.
     */
    EventLoopShards(OutboundBudget budget, Duration stalledAfter) {
        this.budget = budget;
        this.stalledAfterNanos = stalledAfter.toNanos();
    }

    /** The shard of the sessions on {@code loop}. */
    EventLoopShard of(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> new EventLoopShard(l, budget, stalledAfterNanos));
    }

    /** Every shard (a live view). */
    Collection<EventLoopShard> all() {
        return byLoop.values();
    }
}

package dev.tidings.gateway.session;

import java.util.Collection;

/**
 * The node's budget for bytes waiting in its connections ({@code tidings.gateway.max-outbound-bytes}),
 * summed from what each event loop's sweep last saw ({@link EventLoopShard}). Bytes of sessions whose
 * socket is taking them hold the consumer back when over budget (an overloaded machine: the backlog
 * stays in Kafka); bytes of stalled sessions never do: past the budget those sessions are cut.
 *
 * <p>Thread-safe: reads volatile counts of each shard.
 */
final class OutboundBudget {

    private final long max;
    private final Collection<EventLoopShard> shards;

    OutboundBudget(long max, Collection<EventLoopShard> shards) {
        this.max = max;
        this.shards = shards;
    }

    /** Bytes waiting in the node's connections that hold more than {@link ClientSession#LAGGING_BYTES}. */
    long held() {
        long held = 0;
        for (EventLoopShard shard : shards) {
            held += shard.heldBytes();
        }
        return held;
    }

    /** Bytes over the budget (0 or less: within it). */
    long excess() {
        return held() - max;
    }

    /** Whether the bytes of sessions still reading pass the budget: the consumer must wait for them. */
    boolean readersOverBudget() {
        long reading = 0;
        for (EventLoopShard shard : shards) {
            reading += shard.heldBytes() - shard.stalledBytes();
        }
        return reading > max;
    }
}

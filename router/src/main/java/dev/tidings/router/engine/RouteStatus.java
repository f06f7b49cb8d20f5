package dev.tidings.router.engine;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a route is doing now, for health and operators.
 *
 * @param state its state
 * @param since when it entered that state
 * @param reason why it waits or retries (the last failure), {@code null} while starting or running
 */
public record RouteStatus(State state, Instant since, @Nullable String reason) {

    /** A route's states. */
    public enum State {
        /** Joining its consumer group and placing its partitions. */
        STARTING,
        /** Routing: every assigned partition makes progress. */
        RUNNING,
        /** A partition is paused at a record whose source (the schema registry) does not answer; retried with backoff. */
        WAITING_FOR_SOURCE,
        /** Kafka failed it (a send not acknowledged, the consumer lost); it reads again from its committed offsets. */
        RETRYING
    }

    /** Whether the route routes every partition it holds: starting or running. */
    public boolean healthy() {
        return state == State.STARTING || state == State.RUNNING;
    }
}

package dev.tidings.client;

/**
 * What became of one notification of a batch: {@link Accepted}, written and acknowledged, or a
 * {@link TidingsProblem}, not written (or, for {@link ProblemKind#UNAVAILABLE}, not acknowledged).
 */
public sealed interface ItemResult permits Accepted, TidingsProblem {

    /** Whether Kafka acknowledged every record of the notification. */
    default boolean accepted() {
        return this instanceof Accepted;
    }
}

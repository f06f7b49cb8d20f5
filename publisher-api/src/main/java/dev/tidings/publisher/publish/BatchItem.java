package dev.tidings.publisher.publish;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.tidings.publisher.problem.Problems;
import org.springframework.http.ProblemDetail;

/**
 * What became of one notification of a batch: {@link Accepted}, with what Kafka acknowledged, or
 * {@link Rejected}, with the problem a single publish of it would have been answered with. Written
 * as that result or that problem, so a client tells them apart by the problem's {@code status}.
 */
sealed interface BatchItem {

    /** The item rejected for {@code failure}, with the problem {@link Problems#of(Throwable)} makes of it. */
    static BatchItem rejected(Throwable failure) {
        return new Rejected(Problems.of(failure));
    }

    /**
     * Kafka acknowledged every record of the item.
     *
     * @param result where they landed
     */
    record Accepted(@JsonValue PublishResult result) implements BatchItem {
    }

    /**
     * The item was not written, or may not have been: invalid, over a limit, or not acknowledged.
     *
     * @param problem why, without {@code instance} (only a whole response has one)
     */
    record Rejected(@JsonValue ProblemDetail problem) implements BatchItem {
    }
}

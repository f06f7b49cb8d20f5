package dev.tidings.publisher.publish;

import dev.tidings.publisher.problem.ProblemException;
import dev.tidings.publisher.problem.ProblemType;
import dev.tidings.publisher.problem.Problems;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * Kafka did not acknowledge a record in time, or the publisher would have had to wait for it to
 * take one (503). It may still be written: when the failure concerns one notification, the problem
 * names the {@code id} a retry must use so that it is written at most once; it asks for a retry
 * after {@link #RETRY_AFTER_SECONDS}.
 */
public class KafkaUnavailableException extends ProblemException {

    private static final long serialVersionUID = 1L;

    /** Seconds a client should wait before retrying. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final @Nullable String id;

    public KafkaUnavailableException(String message, @Nullable Throwable cause) {
        this(message, cause, null);
    }

    KafkaUnavailableException(String message, @Nullable Throwable cause, @Nullable String id) {
        super(message, cause);
        this.id = id;
    }

    /** This failure, naming {@code id} as the one to retry with (this one if it names one already). */
    public KafkaUnavailableException withId(String id) {
        return this.id != null ? this : new KafkaUnavailableException(getMessage(), getCause(), id);
    }

    @Override
    public ProblemDetail problem() {
        ProblemDetail problem = Problems.retryAfter(Problems.of(ProblemType.KAFKA_UNAVAILABLE, getMessage()
                + "; nothing was acknowledged, but it may still be written: "
                + (id == null ? "retry later" : "retry with \"id\":\"" + id + "\" so that it is written once")),
                RETRY_AFTER_SECONDS);
        if (id != null) {
            problem.setProperty("id", id);
        }
        return problem;
    }
}

package dev.tidings.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The publisher answered with a problem: {@link #problem()} says which. {@link #kind()} is the
 * usual way to tell problems apart.
 */
public final class TidingsProblemException extends TidingsException {

    private static final long serialVersionUID = 1L;

    private final TidingsProblem problem;
    private final @Nullable String id;

    /**
     * A failure with {@code problem}.
     *
     * @param problem what the publisher answered
     * @param id the id of the notification the request sent, when it sent one notification; the
     *     problem's own {@code id} wins when it has one
     */
    public TidingsProblemException(TidingsProblem problem, @Nullable String id) {
        super("the publisher answered " + problem, null);
        this.problem = problem;
        this.id = problem.id() != null ? problem.id() : id;
    }

    /** The problem the publisher answered with. */
    public TidingsProblem problem() {
        return problem;
    }

    /** The problem's kind. */
    public ProblemKind kind() {
        return problem.kind();
    }

    /** The problem's HTTP status. */
    public int status() {
        return problem.status();
    }

    /** How long the publisher asked to wait before retrying, or {@code null}. */
    public @Nullable Duration retryAfter() {
        return problem.retryAfter();
    }

    @Override
    public @Nullable String id() {
        return id;
    }

    @Override
    public boolean retryable() {
        return problem.kind().retried();
    }
}

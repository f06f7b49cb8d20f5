package dev.tidings.client;

/**
 * A {@link TokenSource} that answers the same token every time. It never renews it: when the token
 * expires, sends fail with a {@link ProblemKind#UNAUTHORIZED} problem.
 *
 * <p>Thread-safe: immutable. Its {@link #toString()} does not show the token.
 */
public final class StaticTokenSource implements TokenSource {

    private final String token;

    /**
     * A source of {@code token}.
     *
     * @param token the bearer token, without the {@code Bearer } prefix
     * @throws IllegalArgumentException when it is blank
     */
    public StaticTokenSource(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("the token must not be blank");
        }
        this.token = token.strip();
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "StaticTokenSource[token=***]";
    }
}

package dev.tidings.client;

/**
 * Where the client gets the bearer token it sends as {@code Authorization: Bearer <token>}. It is
 * asked before every attempt, retries included, so a source that renews tokens (OAuth2 client
 * credentials) has its renewed token used as soon as it has one.
 *
 * <p>Implementations must be thread-safe: one client sends from many threads.
 */
@FunctionalInterface
public interface TokenSource {

    /**
     * The token to send now: a JWT with the {@code notifications:publish} scope.
     *
     * @return the token, without the {@code Bearer } prefix; never blank
     * @throws RuntimeException when no token can be had; the send fails with it, unretried
     */
    String token();

    /** A source that always answers {@code token}, for a long-lived token issued to the service. */
    static TokenSource of(String token) {
        return new StaticTokenSource(token);
    }
}

package dev.tidings.publisher.auth;

import dev.tidings.common.auth.BearerTokens;
import dev.tidings.common.auth.InvalidTokenException;
import dev.tidings.common.auth.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Turns a request's {@code Authorization} header into the verified caller holding a scope, or
 * refuses it: a missing or bad token is a 401 {@link AuthenticationException}, a valid token
 * without the scope a 403. The one rule every path into the API authenticates by.
 *
 * <p>Thread-safe: the verifier's token cache is concurrent.
 */
@Component
public class BearerAuthenticator {

    private final VerifiedTokens verifier;

    BearerAuthenticator(VerifiedTokens verifier) {
        this.verifier = verifier;
    }

    /**
     * The caller the header's bearer token names, if that token verifies and holds {@code scope}.
     *
     * @param authorization the {@code Authorization} header's value, or {@code null} if absent
     * @throws AuthenticationException if it does not
     */
    public Principal authenticate(@Nullable String authorization, String scope) {
        String token = BearerTokens.fromAuthorization(authorization);
        if (token == null) {
            throw new AuthenticationException("missing Authorization: Bearer token", false);
        }
        Principal principal;
        try {
            principal = verifier.verify(token);
        }
        catch (InvalidTokenException ex) {
            throw new AuthenticationException(ex.getMessage(), false);
        }
        if (!principal.hasScope(scope)) {
            throw new AuthenticationException("token lacks scope " + scope, true);
        }
        return principal;
    }
}

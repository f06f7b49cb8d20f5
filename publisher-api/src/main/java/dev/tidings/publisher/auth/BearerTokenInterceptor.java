package dev.tidings.publisher.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.tidings.common.auth.InvalidTokenException;
import dev.tidings.common.auth.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every handler annotated with {@link RequiresScope}: verifies the
 * {@code Authorization: Bearer} token and checks its scope, then exposes the {@link Principal}
 * as a request attribute. Failures become 401 or 403 problem responses.
 */
class BearerTokenInterceptor implements HandlerInterceptor {

    /** Request attribute holding the verified {@link Principal}. */
    static final String PRINCIPAL = Principal.class.getName();

    private final VerifiedTokens verifier;

    BearerTokenInterceptor(VerifiedTokens verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        RequiresScope required = method.getMethodAnnotation(RequiresScope.class);
        if (required == null) {
            return true;
        }
        String token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
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
        if (!principal.hasScope(required.value())) {
            throw new AuthenticationException("token lacks scope " + required.value(), true);
        }
        request.setAttribute(PRINCIPAL, principal);
        return true;
    }

    private static @Nullable String bearerToken(@Nullable String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}

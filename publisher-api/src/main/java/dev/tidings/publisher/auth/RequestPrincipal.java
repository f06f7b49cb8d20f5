package dev.tidings.publisher.auth;

import jakarta.servlet.http.HttpServletRequest;

import dev.tidings.common.auth.Principal;
import org.jspecify.annotations.Nullable;

/** Read access to the {@link Principal} that {@link BearerTokenInterceptor} verified for a request. */
public final class RequestPrincipal {

    private RequestPrincipal() {
    }

    /** The verified caller, or {@code null} before authentication or on a handler without {@link RequiresScope}. */
    public static @Nullable Principal of(HttpServletRequest request) {
        return request.getAttribute(BearerTokenInterceptor.PRINCIPAL) instanceof Principal principal ? principal : null;
    }
}

package dev.tidings.publisher.auth;

import dev.tidings.common.auth.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/** Read access to what {@link BearerTokenFilter} verified for a request. */
public final class RequestPrincipal {

    /** Exchange attribute holding the verified {@link Principal}. */
    static final String PRINCIPAL = Principal.class.getName();

    /** Exchange attribute holding the scope the request's handler required. */
    static final String SCOPE = RequiresScope.class.getName();

    private RequestPrincipal() {
    }

    /** The verified caller, or {@code null} before authentication or on a handler without {@link RequiresScope}. */
    public static @Nullable Principal of(ServerWebExchange exchange) {
        return exchange.getAttribute(PRINCIPAL) instanceof Principal principal ? principal : null;
    }

    /** The scope the caller was checked for, or {@code null} as for {@link #of}. */
    public static @Nullable String scope(ServerWebExchange exchange) {
        return exchange.getAttribute(SCOPE) instanceof String scope ? scope : null;
    }
}

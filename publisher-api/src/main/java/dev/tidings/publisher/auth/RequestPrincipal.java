package dev.tidings.publisher.auth;

import dev.tidings.common.auth.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/** Read access to what {@link BearerTokenFilter} verified for a request. */
final class RequestPrincipal {

    /** Exchange attribute holding the verified {@link Principal}. */
    static final String PRINCIPAL = Principal.class.getName();

    private RequestPrincipal() {
    }

    /** The verified caller, or {@code null} before authentication or on a handler without {@link RequiresScope}. */
    static @Nullable Principal of(ServerWebExchange exchange) {
        return exchange.getAttribute(PRINCIPAL) instanceof Principal principal ? principal : null;
    }
}

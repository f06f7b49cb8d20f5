package dev.tidings.publisher.auth;

import java.util.Optional;

import dev.tidings.common.auth.Principal;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authenticates every request whose handler is annotated with {@link RequiresScope}: verifies the
 * {@code Authorization: Bearer} token and checks its scope ({@link BearerAuthenticator}) before
 * anything reads the body, then exposes the {@link Principal} as an exchange attribute
 * ({@link RequestPrincipal}).
 * Failures are {@link AuthenticationException}s, answered 401 or 403 as problems.
 *
 * <p>The handler is looked up here with the mapping the dispatcher would use, and handed on to the
 * dispatcher ({@link MatchedHandlerMapping}) rather than looked up again; a request that maps to no
 * handler (404, 405, 415) passes through for the dispatcher to answer. Thread-safe: stateless apart
 * from the token cache, which is concurrent.
 */
@Component
class BearerTokenFilter implements WebFilter, Ordered {

    /** After the body limit and the HTTP observation; the controllers rate-limit once the body is validated. */
    static final int ORDER = 0;

    private final RequestMappingHandlerMapping handlers;
    private final BearerAuthenticator authenticator;

    BearerTokenFilter(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers,
            BearerAuthenticator authenticator) {
        this.handlers = handlers;
        this.authenticator = authenticator;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return handlers.getHandler(exchange)
                .onErrorResume(unmapped -> Mono.empty())
                .map(handler -> {
                    exchange.getAttributes().put(MatchedHandlerMapping.MATCHED_HANDLER, handler);
                    return Optional.ofNullable(handler instanceof HandlerMethod method
                            ? method.getMethodAnnotation(RequiresScope.class) : null);
                })
                .defaultIfEmpty(Optional.empty())
                .flatMap(required -> {
                    required.ifPresent(scope -> authenticate(exchange, scope.value()));
                    return chain.filter(exchange);
                });
    }

    private void authenticate(ServerWebExchange exchange, String scope) {
        Principal principal = authenticator.authenticate(
                exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION), scope);
        exchange.getAttributes().put(RequestPrincipal.PRINCIPAL, principal);
    }
}

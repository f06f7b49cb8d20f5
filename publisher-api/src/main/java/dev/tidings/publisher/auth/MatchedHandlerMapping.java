package dev.tidings.publisher.auth;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Gives the dispatcher the handler {@link BearerTokenFilter} already looked up for the request, so
 * that a request's handler is looked up once, not twice. First of the dispatcher's mappings; a
 * request the filter found no handler for falls through to the others as usual.
 *
 * <p>What is handed on is exactly what the request mapping returned to the filter (a CORS
 * pre-flight's or a rejected cross-origin request's handler included), and the mapping's exchange
 * attributes (path variables, best-matching pattern) were set by that same lookup.
 *
 * <p>Thread-safe: stateless.
 */
@Component
class MatchedHandlerMapping implements HandlerMapping, Ordered {

    /** Exchange attribute: the handler {@link BearerTokenFilter} looked up. */
    static final String MATCHED_HANDLER = MatchedHandlerMapping.class.getName() + ".handler";

    @Override
    public Mono<Object> getHandler(ServerWebExchange exchange) {
        Object handler = exchange.getAttribute(MATCHED_HANDLER); // typed: justOrEmpty(Optional) must not match
        return Mono.justOrEmpty(handler);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}

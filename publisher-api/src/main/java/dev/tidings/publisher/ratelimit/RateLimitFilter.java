package dev.tidings.publisher.ratelimit;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.auth.RequestPrincipal;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Applies {@link PublishRateLimiter} to every request authenticated for the publish scope. Runs
 * after the bearer-token filter, so the caller is the verified token's {@code sub}: a caller
 * cannot spend another's budget, and unauthenticated requests are refused (401) before they cost
 * anyone a token. Refusals are {@link RateLimitExceededException}s, answered 429 with
 * {@code Retry-After}.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

    private final PublishRateLimiter limiter;

    RateLimitFilter(PublishRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public int getOrder() {
        return 100;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Principal caller = RequestPrincipal.of(exchange);
        if (caller == null || !Principal.SCOPE_PUBLISH.equals(RequestPrincipal.scope(exchange))) {
            return chain.filter(exchange);
        }
        PublishRateLimiter.Decision decision = limiter.tryAcquire(caller.userId());
        if (!decision.allowed()) {
            return Mono.error(new RateLimitExceededException("caller " + caller.userId()
                    + " is over its publish rate limit of " + limiter.perSecond() + " requests per second (burst "
                    + limiter.burst() + ", tidings.publisher.rate-limit-per-second); retry after "
                    + decision.retryAfterSeconds() + " s", decision.retryAfterSeconds()));
        }
        return chain.filter(exchange);
    }
}

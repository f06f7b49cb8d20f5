package dev.tidings.publisher.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.auth.RequestPrincipal;
import dev.tidings.publisher.auth.RequiresScope;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Applies {@link PublishRateLimiter} to every handler that needs the publish scope. Runs after
 * the bearer-token interceptor, so the caller is the verified token's {@code sub}: a caller
 * cannot spend another's budget, and unauthenticated requests are refused (401) before they
 * cost anyone a token.
 */
class RateLimitInterceptor implements HandlerInterceptor {

    private final PublishRateLimiter limiter;

    RateLimitInterceptor(PublishRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        RequiresScope scope = method.getMethodAnnotation(RequiresScope.class);
        Principal caller = RequestPrincipal.of(request);
        if (scope == null || !Principal.SCOPE_PUBLISH.equals(scope.value()) || caller == null) {
            return true;
        }
        PublishRateLimiter.Decision decision = limiter.tryAcquire(caller.userId());
        if (!decision.allowed()) {
            throw new RateLimitExceededException("caller " + caller.userId() + " is over its publish rate limit of "
                    + limiter.perSecond() + " requests per second (burst " + limiter.burst()
                    + ", tidings.publisher.rate-limit-per-second); retry after " + decision.retryAfterSeconds() + " s",
                    decision.retryAfterSeconds());
        }
        return true;
    }
}

package dev.tidings.publisher.limits;

import java.util.concurrent.atomic.AtomicLong;

import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.BodyTooLargeException;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Enforces {@code tidings.publisher.max-body-bytes} on every request, before authentication and
 * before anything parses the body:
 * <ul>
 *   <li>a declared {@code Content-Length} over the limit is answered 413 at once, unread;</li>
 *   <li>any other body (chunked, or lying about its length) is counted as it arrives, and the
 *       chunk that crosses the limit fails the body with {@link BodyTooLargeException}, which the
 *       problem handlers turn into the same 413. So no more than the limit (plus one network
 *       buffer) is ever held in memory.</li>
 * </ul>
 * The JSON decoders' own in-memory limit is set above it ({@code WebConfiguration}), so that this
 * filter, not the codec, decides.
 *
 * <p>Thread-safe: stateless; each request gets its own counter.
 */
@Component
public class BodySizeLimitFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(BodySizeLimitFilter.class);

    private final long limit;

    BodySizeLimitFilter(PublisherProperties properties) {
        this.limit = properties.maxBodyBytes();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            log.debug("Refused a {}-byte body on {} {}", declared, request.getMethod(), request.getPath());
            return Mono.error(new PayloadTooLargeException("the request body is " + declared
                    + " bytes; the limit is " + limit + " (tidings.publisher.max-body-bytes)"));
        }
        return chain.filter(exchange.mutate().request(new LimitedRequest(request, limit)).build());
    }

    /** The request with its body counted against the limit as it arrives. */
    static final class LimitedRequest extends ServerHttpRequestDecorator {

        private final long limit;

        LimitedRequest(ServerHttpRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            AtomicLong read = new AtomicLong();
            return super.getBody().handle((buffer, sink) -> {
                if (read.addAndGet(buffer.readableByteCount()) > limit) {
                    DataBufferUtils.release(buffer);
                    sink.error(new BodyTooLargeException(limit));
                }
                else {
                    sink.next(buffer);
                }
            });
        }
    }
}

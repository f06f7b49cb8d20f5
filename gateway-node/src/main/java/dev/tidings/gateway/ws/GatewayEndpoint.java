package dev.tidings.gateway.ws;


import dev.tidings.common.auth.InvalidTokenException;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.access.Handshakes;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The {@code /ws} handshake, in the order that costs the node least: while the node shuts down, or
 * when the request waited on the node past {@code tidings.gateway.handshake-max-wait}
 * ({@link Handshakes#waitedTooLong}), it answers 503 with {@code Retry-After: 1} before anything else; a browser {@code Origin} not on
 * the allow-list gets 403; a missing or bad token gets 401 and never opens a session (the token
 * comes from the {@code access_token} query parameter or an {@code Authorization: Bearer}
 * header; with a JWKS issuer the token is verified off the event loop, since it may fetch keys).
 * Only then is the connection upgraded (by Reactor Netty, which answers a bad key or
 * version itself) and handed to {@link GatewayWebSocketHandler} with the verified principal and
 * the {@code cursor} query parameter, if any. A request that is not a WebSocket upgrade gets 400.
 *
 * <p>Thread-safe: stateless apart from immutable configuration.
 */
class GatewayEndpoint implements WebHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayEndpoint.class);

    private final GracefulShutdown shutdown;
    private final JwtVerifier verifier;
    private final Handshakes handshakes;
    private final WebsocketServerSpec spec;
    private final GatewayWebSocketHandler handler;

    GatewayEndpoint(GracefulShutdown shutdown, JwtVerifier verifier, Handshakes handshakes,
            WebsocketServerSpec spec, GatewayWebSocketHandler handler) {
        this.shutdown = shutdown;
        this.verifier = verifier;
        this.handshakes = handshakes;
        this.spec = spec;
        this.handler = handler;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        if (shutdown.isDraining() || handshakes.waitedTooLong(response)) {
            return Handshakes.refuseUnavailable(response);
        }
        if (request.getMethod() != HttpMethod.GET
                || !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
            response.setStatusCode(HttpStatus.BAD_REQUEST);
            return response.setComplete();
        }
        if (!handshakes.originAllowed(request)) {
            log.debug("WebSocket handshake refused: origin {} is not allowed", request.getHeaders().getOrigin());
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return response.setComplete();
        }
        String token = Handshakes.token(request);
        if (token == null) {
            return Handshakes.refuseToken(response, "missing token");
        }
        String cursor = request.getQueryParams().getFirst("cursor");
        @Nullable String resumeFrom = cursor == null || cursor.isEmpty() ? null : cursor;
        if (!verifier.fetchesKeys()) {
            Principal principal;
            try {
                principal = verifier.verify(token);
            }
            catch (InvalidTokenException ex) {
                return Handshakes.refuseToken(response, ex.getMessage());
            }
            return upgrade(response, principal, resumeFrom);
        }
        // A JWKS verification may fetch keys (cold cache, refresh, unknown kid): never on the event
        // loop, whose other connections would all wait for the issuer. The upgrade then goes back
        // to the connection's own loop.
        String bearer = token;
        return Mono.fromCallable(() -> verifier.verify(bearer)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(principal -> Mono.defer(() -> upgrade(response, principal, resumeFrom))
                        .subscribeOn(eventLoopOf(response)))
                .onErrorResume(InvalidTokenException.class, ex -> Handshakes.refuseToken(response, ex.getMessage()));
    }

    private Mono<Void> upgrade(ServerHttpResponse response, Principal principal, @Nullable String resumeFrom) {
        HttpServerResponse netty = ServerHttpResponseDecorator.getNativeResponse(response);
        // As Spring's own Reactor Netty upgrade does: complete the exchange, then take the connection over.
        return response.setComplete().then(Mono.defer(() -> netty.sendWebsocket(
                (inbound, outbound) -> {
                    forgetHandshakeHeaders(inbound, outbound);
                    return handler.handle(inbound, outbound, principal, resumeFrom);
                }, spec)));
    }

    /**
     * Drops the handshake's request and response headers, which the connection would otherwise keep for its
     * whole life: the handler runs once the 101 is sent, and nothing reads them after the handshake (the token
     * and cursor were read from the request before it). Every idle connection is that much lighter.
     */
    static void forgetHandshakeHeaders(WebsocketInbound inbound, WebsocketOutbound outbound) {
        inbound.headers().clear();
        if (outbound instanceof HttpServerResponse sent) {
            sent.responseHeaders().clear();
        }
    }

    private static Scheduler eventLoopOf(ServerHttpResponse response) {
        Object netty = ServerHttpResponseDecorator.getNativeResponse(response);
        return netty instanceof Connection connection ? Schedulers.fromExecutor(connection.channel().eventLoop())
                : Schedulers.immediate();
    }
}

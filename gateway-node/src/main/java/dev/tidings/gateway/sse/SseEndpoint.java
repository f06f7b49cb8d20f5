package dev.tidings.gateway.sse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.tidings.common.auth.InvalidTokenException;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.access.Handshakes;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.resume.ResumeService;
import dev.tidings.gateway.session.ClientSession;
import dev.tidings.gateway.session.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.LastHttpContent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /sse}: the WebSocket protocol's server frames as Server-Sent Events, for clients behind
 * proxies that block WebSockets. The same checks as {@code /ws} in the same order (503 while the node
 * shuts down or for a request that waited past {@code handshake-max-wait}, 403 for a foreign {@code Origin}, 401 for a missing or bad token from
 * {@code access_token} or {@code Authorization: Bearer}), the same addressing, limits and resume: a
 * {@code Last-Event-ID} header (what a browser's {@code EventSource} sends when it reconnects) or a
 * {@code cursor} parameter resumes from that cursor, on any node. The stream carries no client frames;
 * the node writes a comment every {@code keepAlive} so that idle streams stay up, and ends a session
 * with a {@code close} event carrying the code and reason a WebSocket would get (1008 at the token's
 * end: reconnect with a fresh token and the last event id).
 *
 * <p>Thread-safe: stateless apart from immutable configuration.
 */
final class SseEndpoint implements WebHandler {

    private static final Logger log = LoggerFactory.getLogger(SseEndpoint.class);

    private final GracefulShutdown shutdown;
    private final JwtVerifier verifier;
    private final SessionRegistry registry;
    private final ResumeService resume;
    private final FrameEncoder frames;
    private final GatewayProperties properties;
    private final Handshakes handshakes;
    private final Duration keepAlive;

    SseEndpoint(GracefulShutdown shutdown, JwtVerifier verifier, SessionRegistry registry, ResumeService resume,
            FrameEncoder frames, GatewayProperties properties, Handshakes handshakes, Duration keepAlive) {
        this.shutdown = shutdown;
        this.verifier = verifier;
        this.registry = registry;
        this.resume = resume;
        this.frames = frames;
        this.properties = properties;
        this.handshakes = handshakes;
        this.keepAlive = keepAlive;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        if (shutdown.isDraining() || handshakes.waitedTooLong(response)) {
            return Handshakes.refuseUnavailable(response);
        }
        if (request.getMethod() != HttpMethod.GET) {
            response.setStatusCode(HttpStatus.METHOD_NOT_ALLOWED);
            return response.setComplete();
        }
        if (!handshakes.originAllowed(request)) {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return response.setComplete();
        }
        String origin = request.getHeaders().getOrigin();
        if (origin != null && !Handshakes.sameOrigin(request, origin)) {
            response.getHeaders().setAccessControlAllowOrigin(origin);
            response.getHeaders().setVary(List.of(HttpHeaders.ORIGIN));
        }
        String token = Handshakes.token(request);
        if (token == null) {
            return Handshakes.refuseToken(response, "missing token");
        }
        String lastEventId = request.getHeaders().getFirst("Last-Event-ID");
        String cursor = lastEventId != null && !lastEventId.isBlank() ? lastEventId.strip()
                : request.getQueryParams().getFirst("cursor");
        @Nullable String resumeFrom = cursor == null || cursor.isEmpty() ? null : cursor;
        String bearer = token;
        Mono<Principal> principal = Mono.fromCallable(() -> verifier.verify(bearer));
        if (verifier.fetchesKeys()) {
            principal = principal.subscribeOn(Schedulers.boundedElastic());
        }
        return principal.flatMap(p -> stream(response, p, resumeFrom))
                .onErrorResume(InvalidTokenException.class, ex -> Handshakes.refuseToken(response, ex.getMessage()));
    }

    /**
     * Opens the event stream: the response's headers and a first comment through Reactor Netty, then
     * the session writes its events to the connection itself, as a WebSocket session writes frames.
     * Completes when the connection closes.
     */
    private Mono<Void> stream(ServerHttpResponse response, Principal principal, @Nullable String cursor) {
        response.setStatusCode(HttpStatus.OK);
        HttpHeaders headers = response.getHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "text/event-stream;charset=UTF-8");
        headers.set(HttpHeaders.CACHE_CONTROL, "no-cache, no-store");
        headers.set("X-Accel-Buffering", "no"); // nginx: pass each event on at once
        HttpServerResponse netty = ServerHttpResponseDecorator.getNativeResponse(response);
        ByteBuf opening = Unpooled.copiedBuffer(": tidings\n\n", java.nio.charset.StandardCharsets.US_ASCII);
        Flux<ByteBuf> body = Flux.just(opening).concatWith(Mono.fromRunnable(() -> open(netty, principal, cursor)))
                .concatWith(Flux.never());
        return response.setComplete().then(netty.send(body, buffer -> true).then());
    }

    private void open(HttpServerResponse netty, Principal principal, @Nullable String cursor) {
        Connection[] connection = new Connection[1];
        netty.withConnection(c -> connection[0] = c);
        Channel channel = connection[0].channel();
        // Queued behind the opening comment on the connection's loop: the session's events follow it.
        channel.eventLoop().execute(() -> register(channel, connection[0], principal, cursor));
    }

    private void register(Channel channel, Connection connection, Principal principal, @Nullable String cursor) {
        if (!channel.isActive()) {
            return;
        }
        SessionRegistry.Registration registration = registry.register(channel, SseFraming.INSTANCE,
                status -> end(channel, status), principal, cursor != null);
        CloseReason refusal = registration.refusal();
        if (refusal != null) {
            end(channel, refusal.closing(channel.id().asShortText(), principal.userId(), ""));
            return;
        }
        ClientSession session = registration.session();
        ScheduledFuture<?> keepAlives = channel.eventLoop().scheduleAtFixedRate(
                () -> channel.writeAndFlush(SseFraming.keepAlive(), channel.voidPromise()),
                keepAlive.toMillis(), keepAlive.toMillis(), TimeUnit.MILLISECONDS);
        connection.onDispose(() -> {
            keepAlives.cancel(false);
            registry.unregister(session);
        });
        if (shutdown.isDraining()) {
            session.close(CloseReason.SHUTTING_DOWN);
            return;
        }
        session.send(frames.welcome(properties.nodeId(), resume.welcomeCursor(cursor)));
        if (cursor != null) {
            resume.resume(session, cursor);
        }
    }

    /** Ends the stream with a {@code close} event, then closes the connection. */
    private static void end(Channel channel, CloseStatus status) {
        channel.write(SseFraming.close(status));
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }
}

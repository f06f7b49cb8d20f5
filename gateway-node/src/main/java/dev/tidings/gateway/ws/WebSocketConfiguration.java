package dev.tidings.gateway.ws;

import java.util.Map;
import java.util.Set;

import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.gateway.access.Handshakes;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import dev.tidings.gateway.resume.ResumeService;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.session.SessionRegistry;
import dev.tidings.gateway.sse.SseConfiguration;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * Maps {@code /ws} to the {@link GatewayEndpoint} on Reactor Netty. Client frames over
 * {@code tidings.gateway.max-inbound-frame-bytes} are closed with 1009 (see
 * {@link #decoderFrameLimit}); compression stays off, so one encoded frame serves every session.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

    /** Where clients connect. */
    static final String WEBSOCKET_PATH = "/ws";

    /** The paths whose requests last as long as their connection: the WebSocket and the event stream. */
    private static final Set<String> STREAMS = Set.of(WEBSOCKET_PATH, SseConfiguration.SSE_PATH);

    /**
     * The frame size past which Netty's decoder itself refuses a frame (1009), without reading it.
     * It is kept well above {@code max-inbound-frame-bytes}, which the handler enforces on frames
     * read whole: a server that closes while a large frame is still arriving makes the kernel
     * reset the connection, and the client then loses the close frame and sees 1006 instead of
     * 1009. Only frames past this bound (eight times the limit, at least 64 KiB) meet that.
     */
    static int decoderFrameLimit(GatewayProperties properties) {
        return Math.max(65536, properties.maxInboundFrameBytes() * 8);
    }

    /**
     * Event loops of this node's own, not Reactor Netty's process-wide ones: closing one node's
     * context (in tests, several nodes share a JVM) must not stop the loops of the others.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        return resources;
    }

    /**
     * No HTTP server observation for the {@code /ws} handshake, nor for {@code /sse} streams. WebFlux keeps a request's observation
     * until its handler completes, which for a WebSocket is when the connection closes: its context,
     * key values and timer samples would stay alive for every connection, and the "request" it timed
     * would last as long as the connection, which only skews the
     * {@code http.server.requests} percentiles. The connection meters ({@code tidings.gateway.*})
     * count WebSockets instead.
     */
    @Bean
    ObservationPredicate noHttpServerObservationOfWebSockets() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && STREAMS.contains(request.getCarrier().getPath().pathWithinApplication().value()));
    }

    @Bean
    HandlerMapping webSocketMapping(SessionRegistry registry, FrameEncoder frames, ResumeService resume,
            GatewayProperties properties, JwtVerifier verifier, GracefulShutdown shutdown, Handshakes handshakes) {
        var handler = new GatewayWebSocketHandler(registry, frames, resume, verifier, properties, shutdown);
        var spec = WebsocketServerSpec.builder().maxFramePayloadLength(decoderFrameLimit(properties)).build();
        var endpoint = new GatewayEndpoint(shutdown, verifier, handshakes, spec, handler);
        return new SimpleUrlHandlerMapping(Map.of(WEBSOCKET_PATH, endpoint), Ordered.HIGHEST_PRECEDENCE);
    }
}

package dev.tidings.gateway.ws;

import java.util.Map;

import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.ResumeService;
import dev.tidings.gateway.routing.FrameEncoder;
import dev.tidings.gateway.session.SessionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.client.ReactorResourceFactory;
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

    @Bean
    HandlerMapping webSocketMapping(SessionRegistry registry, FrameEncoder frames, NodePosition position,
            ResumeService resume, GatewayProperties properties, JwtVerifier verifier, GracefulShutdown shutdown) {
        var handler = new GatewayWebSocketHandler(registry, frames, position, resume, properties, shutdown);
        var spec = WebsocketServerSpec.builder().maxFramePayloadLength(decoderFrameLimit(properties)).build();
        var endpoint = new GatewayEndpoint(shutdown, verifier, properties.allowedOrigins(), spec, handler);
        return new SimpleUrlHandlerMapping(Map.of("/ws", endpoint), Ordered.HIGHEST_PRECEDENCE);
    }
}

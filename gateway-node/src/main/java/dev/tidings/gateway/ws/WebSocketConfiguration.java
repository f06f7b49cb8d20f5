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
 * {@code tidings.gateway.max-inbound-frame-bytes} are refused by Netty's frame decoder with 1009;
 * compression stays off, so one encoded frame can be written to every session as it is.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

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
        var spec = WebsocketServerSpec.builder().maxFramePayloadLength(properties.maxInboundFrameBytes()).build();
        var endpoint = new GatewayEndpoint(shutdown, verifier, properties.allowedOrigins(), spec, handler);
        return new SimpleUrlHandlerMapping(Map.of("/ws", endpoint), Ordered.HIGHEST_PRECEDENCE);
    }
}

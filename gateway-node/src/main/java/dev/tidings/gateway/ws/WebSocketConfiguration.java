package dev.tidings.gateway.ws;

import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.ResumeService;
import dev.tidings.gateway.routing.FrameEncoder;
import dev.tidings.gateway.session.SessionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Registers {@code /ws} with admission (503 while shutting down), token authentication, the
 * Origin allow-list and the container's frame limits.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final GatewayWebSocketHandler handler;
    private final TokenHandshakeInterceptor authentication;
    private final AdmissionHandshakeInterceptor admission;
    private final GatewayProperties properties;

    WebSocketConfiguration(SessionRegistry registry, FrameEncoder frames, NodePosition position,
            ResumeService resume, GatewayProperties properties, JwtVerifier verifier, GracefulShutdown shutdown) {
        this.handler = new GatewayWebSocketHandler(registry, frames, position, resume, properties, shutdown);
        this.authentication = new TokenHandshakeInterceptor(verifier);
        this.admission = new AdmissionHandshakeInterceptor(shutdown);
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws")
                .addInterceptors(admission, authentication)
                .setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        // Frames over the limit are closed by the container with 1009.
        container.setMaxTextMessageBufferSize(properties.maxInboundFrameBytes());
        container.setMaxBinaryMessageBufferSize(properties.maxInboundFrameBytes());
        container.setMaxSessionIdleTimeout(properties.idleTimeout().toMillis());
        container.setAsyncSendTimeout(properties.sendTimeout().toMillis());
        return container;
    }
}

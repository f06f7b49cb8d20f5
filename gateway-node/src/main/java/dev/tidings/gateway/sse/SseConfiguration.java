package dev.tidings.gateway.sse;

import java.time.Duration;
import java.util.Map;

import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.gateway.access.Handshakes;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.resume.ResumeService;
import dev.tidings.gateway.session.SessionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/** Maps {@code /sse} to the {@link SseEndpoint}. */
@Configuration(proxyBeanMethods = false)
public class SseConfiguration {

    /** Where clients that cannot use WebSockets connect. */
    public static final String SSE_PATH = "/sse";

    /** How often an idle stream gets a comment: well inside the usual proxy idle timeouts (60 s). */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(25);

    @Bean
    HandlerMapping sseMapping(GracefulShutdown shutdown, JwtVerifier verifier, SessionRegistry registry,
            ResumeService resume, FrameEncoder frames, GatewayProperties properties, Handshakes handshakes) {
        var endpoint = new SseEndpoint(shutdown, verifier, registry, resume, frames, properties, handshakes,
                KEEP_ALIVE);
        return new SimpleUrlHandlerMapping(Map.of(SSE_PATH, endpoint), Ordered.HIGHEST_PRECEDENCE);
    }
}

package dev.tidings.gateway.access;

import dev.tidings.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The handshake checks shared by {@code /ws} and {@code /sse}. */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

    @Bean
    Handshakes handshakes(GatewayProperties properties, MeterRegistry meters) {
        Counter stale = Counter.builder("tidings.gateway.handshakes.stale")
                .description("Handshakes answered 503 because their request waited on the node longer than"
                        + " tidings.gateway.handshake-max-wait")
                .register(meters);
        return new Handshakes(properties.allowedOrigins(), properties.handshakeMaxWait(), stale);
    }
}

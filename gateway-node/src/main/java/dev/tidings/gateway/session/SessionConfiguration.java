package dev.tidings.gateway.session;

import java.time.Duration;

import dev.tidings.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's sessions, from {@code tidings.gateway.*}: the index the router looks sessions up in,
 * the batcher it hands their deliveries to, and the registry connections register with.
 */
@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

    @Bean
    OutboundBudget outboundBudget(GatewayProperties properties, MeterRegistry meters) {
        return new OutboundBudget(properties.maxOutboundBytes(), meters);
    }

    @Bean
    EventLoopShards eventLoopShards(OutboundBudget outboundBudget) {
        return new EventLoopShards(outboundBudget, Duration.ofMillis(EventLoopShard.STALLED_MILLIS));
    }

    @Bean
    SessionIndex sessionIndex(GatewayProperties properties, MeterRegistry meters) {
        return new SessionIndex(properties.maxConnections(), properties.maxSessionsPerUser(), meters);
    }

    @Bean
    DeliveryBatcher deliveryBatcher(EventLoopShards eventLoopShards, OutboundBudget outboundBudget,
            GatewayProperties properties, MeterRegistry meters) {
        return new DeliveryBatcher(eventLoopShards, outboundBudget,
                new DispatchBacklog(properties.maxDispatchBacklog(), meters), meters);
    }

    @Bean(destroyMethod = "stop")
    TokenExpiry tokenExpiry(GatewayProperties properties, MeterRegistry meters) {
        return new TokenExpiry(properties.maxTokenLifetime(), properties.tokenExpiryWarning(), meters);
    }

    @Bean
    SessionRegistry sessionRegistry(GatewayProperties properties, SessionIndex sessionIndex,
            EventLoopShards eventLoopShards, TokenExpiry tokenExpiry, MeterRegistry meters) {
        SessionLimits limits = new SessionLimits(properties.maxQueuedFrames(), properties.maxQueuedBytes(),
                properties.sendTimeout().toMillis(), properties.maxReplay());
        return new SessionRegistry(limits, sessionIndex, eventLoopShards, tokenExpiry,
                new CatchUpBudget(properties.resumeBufferBytes(), meters), meters);
    }
}

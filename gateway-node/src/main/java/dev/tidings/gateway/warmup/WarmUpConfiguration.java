package dev.tidings.gateway.warmup;

import java.net.URI;

import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.common.cursor.CursorCodec;
import dev.tidings.common.warmup.SelfAddress;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.session.DeliveryBatcher;
import dev.tidings.gateway.session.SessionIndex;
import dev.tidings.schema.Notification;
import dev.tidings.schema.TopicLayout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * The warm-up ({@code tidings.gateway.warm-up.*}): started once the node serves, on its client port, and
 * reported as {@code warmUp} in {@code /actuator/health} and its readiness group.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarmUpProperties.class)
class WarmUpConfiguration {

    /** Room for the warm-up's own deliveries in the event loops' queues, apart from the node's. */
    private static final int BACKLOG = 1024;

    @Bean
    WarmUp warmUp(WarmUpProperties properties, JwtSettings jwt, SessionIndex sessions, DeliveryBatcher batcher,
            FrameEncoder frames, NodePosition position, CursorCodec cursors,
            DefaultKafkaConsumerFactory<String, Notification> gatewayConsumerFactory, TopicLayout topic) {
        String secret = jwt.primarySecret();
        TokenIssuer issuer = secret == null ? null : new TokenIssuer(secret, jwt.issuer(), jwt.audience());
        // The warm-up's meters are the node's kind, so that the code it compiles meets the same meter classes
        // live records do, and are exported nowhere.
        MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RecentRecords recent = new RecentRecords(gatewayConsumerFactory.getConfigurationProperties(), topic.topic(),
                frames, meters);
        return new WarmUp(properties, issuer, sessions, batcher.sibling(BACKLOG, meters), frames, position, cursors,
                meters, recent);
    }

    /**
     * Starts the warm-up once the node serves: on its client port, at the address it listens on ({@code server.address}
     * when that is one address, else loopback).
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> warmUpStarter(WarmUp warmUp, Environment environment) {
        return event -> {
            if (event.getApplicationContext() instanceof WebServerApplicationContext web
                    && web.getWebServer() != null) {
                warmUp.start(endpoint(environment, web.getWebServer().getPort()));
            }
        };
    }

    static @Nullable URI endpoint(Environment environment, int port) {
        URI self = SelfAddress.of(environment, "ws", port);
        return self == null ? null : self.resolve("/ws");
    }

    @Bean
    HealthIndicator warmUpHealthIndicator(WarmUp warmUp) {
        return warmUp::health;
    }
}

package dev.tidings.publisher.warmup;

import java.util.Map;
import java.util.UUID;

import dev.tidings.common.auth.JwtProperties;
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.common.warmup.SelfAddress;
import dev.tidings.publisher.publish.WarmUpTraffic;
import dev.tidings.schema.TopicLayout;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The warm-up ({@code tidings.publisher.warm-up.*}): its caller and topic, the topic created at start-up when
 * missing, the warm-up started once the publisher serves, and reported as {@code warmUp} in
 * {@code /actuator/health} and its readiness group.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarmUpProperties.class)
class WarmUpConfiguration {

    /** How long the warm-up's records are kept: nothing reads them, a restart's warm-up writes its own. */
    static final long RETENTION_MILLIS = 10 * 60_000L;
    /** How often the warm-up topic rolls a segment, so that retention can delete the old ones. */
    static final long SEGMENT_MILLIS = 60_000L;

    /** The warm-up's caller ({@code tidings-warm-up-<random>}, new on every start) and its topic. */
    @Bean
    WarmUpTraffic warmUpTraffic(WarmUpProperties properties, TopicLayout layout) {
        return new WarmUpTraffic("tidings-warm-up-" + UUID.randomUUID(), properties.topicOf(layout.topic()));
    }

    /** The warm-up's topic: as many partitions as the notifications topic, its records deleted after 10 minutes. */
    @Bean
    NewTopic warmUpTopic(WarmUpTraffic traffic, TopicLayout layout) {
        return layout.newTopic(traffic.topic(), Map.of(
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(RETENTION_MILLIS),
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(SEGMENT_MILLIS)));
    }

    @Bean
    PublisherWarmUp publisherWarmUp(WarmUpProperties properties, JwtProperties jwt, WarmUpTraffic traffic) {
        JwtSettings settings = jwt.settings();
        String secret = settings.primarySecret();
        TokenIssuer issuer = secret == null ? null : new TokenIssuer(secret, settings.issuer(), settings.audience());
        return new PublisherWarmUp(properties, issuer, traffic);
    }

    /**
     * Starts the warm-up once the publisher serves: on its port, at the address it listens on
     * ({@code server.address} when that is one address, else loopback).
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> warmUpStarter(PublisherWarmUp warmUp, Environment environment) {
        return event -> {
            if (event.getApplicationContext() instanceof WebServerApplicationContext web
                    && web.getWebServer() != null) {
                warmUp.start(SelfAddress.of(environment, "http", web.getWebServer().getPort()));
            }
        };
    }

    @Bean
    HealthIndicator warmUpHealthIndicator(PublisherWarmUp warmUp) {
        return warmUp::health;
    }
}

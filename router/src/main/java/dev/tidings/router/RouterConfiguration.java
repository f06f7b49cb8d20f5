package dev.tidings.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.tidings.router.engine.RouteStatus;
import dev.tidings.router.engine.Router;
import dev.tidings.router.engine.RouterSettings;
import dev.tidings.router.routes.RoutesFile;
import dev.tidings.router.routes.RoutesParser;
import dev.tidings.schema.TopicProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reads and checks the routes file at start (a mistake stops the service with every problem and its
 * line and column), then runs the {@link Router} for the application's lifetime. Kafka clients get
 * {@code spring.kafka.bootstrap-servers}, {@code spring.kafka.properties.*} and the security settings.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicProperties.class)
class RouterConfiguration {

    @Bean
    RoutesFile routesFile(RouterProperties properties) {
        try {
            return RoutesParser.parse(properties.routesFile());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the routes file " + properties.routesFile(), ex);
        }
    }

    @Bean
    Router router(RoutesFile routes, RouterProperties properties, TopicProperties topic, KafkaProperties kafka,
            MeterRegistry meters) {
        Map<String, Object> clients = new HashMap<>(kafka.buildAdminProperties());
        RouterSettings settings = new RouterSettings(clients, topic.layout(), properties.maxPayloadBytes(),
                properties.pollTimeout(), properties.topicRefresh());
        return new Router(routes, settings, meters);
    }

    /**
     * {@code routes} in {@code /actuator/health}: DOWN while a route waits for its schema registry or retries
     * after a Kafka failure, with each route's state, since when and why. Not part of the liveness and
     * readiness groups: a registry outage is waited out, not answered by restarting the router.
     */
    @Bean
    HealthIndicator routesHealthIndicator(Router router) {
        return () -> {
            Map<String, RouteStatus> statuses = router.statuses();
            Health.Builder health = statuses.values().stream().allMatch(RouteStatus::healthy) ? Health.up() : Health.down();
            statuses.forEach((name, status) -> {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("state", status.state().name().toLowerCase(Locale.ROOT));
                detail.put("since", status.since().toString());
                if (status.reason() != null) {
                    detail.put("reason", status.reason());
                }
                health.withDetail(name, detail);
            });
            return health.build();
        };
    }

    @Bean
    SmartLifecycle routerLifecycle(Router router) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                router.start();
                running = true;
            }

            @Override
            public void stop() {
                router.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}

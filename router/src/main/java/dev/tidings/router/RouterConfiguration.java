package dev.tidings.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import dev.tidings.router.engine.Router;
import dev.tidings.router.engine.RouterSettings;
import dev.tidings.router.routes.RoutesFile;
import dev.tidings.router.routes.RoutesParser;
import dev.tidings.schema.TopicProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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

package dev.tidings.gateway.inbox;

import java.util.HashMap;
import java.util.Map;

import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.session.SessionIndex;
import dev.tidings.schema.TopicLayout;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The inbox, when {@code tidings.inbox.enabled} (the default): its Streams member, endpoints and notices. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "tidings.inbox", name = "enabled", havingValue = "true", matchIfMissing = true)
class InboxConfiguration {

    @Bean(destroyMethod = "close")
    InboxStreams inboxStreams(InboxProperties properties, GatewayProperties gateway, TopicLayout layout,
            KafkaProperties kafka, FrameEncoder frames) {
        return new InboxStreams(properties, gateway, layout, kafka.buildStreamsProperties(),
                kafka.buildAdminProperties(), frames);
    }

    /** Starts the Streams member once the client port is known: other gateways query this one there. */
    @Bean
    ApplicationListener<ReactiveWebServerInitializedEvent> inboxStarter(InboxStreams streams) {
        return event -> {
            String namespace = event.getApplicationContext().getServerNamespace();
            if (namespace == null || namespace.isEmpty()) {
                streams.start(event.getWebServer().getPort());
            }
        };
    }

    @Bean(destroyMethod = "close")
    ReadMarks inboxReadMarks(InboxProperties properties, GatewayProperties gateway, TopicLayout layout,
            KafkaProperties kafka) {
        return new ReadMarks(named(kafka.buildProducerProperties(), gateway, "read-marks"),
                properties.readTopicFor(layout.topic()));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    ReadNotices inboxReadNotices(InboxProperties properties, GatewayProperties gateway, TopicLayout layout,
            KafkaProperties kafka, SessionIndex sessions) {
        return new ReadNotices(named(kafka.buildConsumerProperties(), gateway, "read-notices"),
                properties.readTopicFor(layout.topic()), sessions);
    }

    /**
     * The client's config with a client id naming the node and the client's job, as the node's other
     * clients have: it is what the broker's logs and the clients' metrics tell them apart by.
     */
    static Map<String, Object> named(Map<String, Object> config, GatewayProperties gateway, String job) {
        Map<String, Object> named = new HashMap<>(config);
        named.put(CommonClientConfigs.CLIENT_ID_CONFIG, gateway.consumerGroup() + "-" + job);
        return named;
    }

    @Bean
    InboxQuery inboxQuery(InboxStreams streams, InboxProperties properties) {
        return new InboxQuery(streams, properties);
    }

    @Bean
    RouterFunction<ServerResponse> inboxRoutes(InboxQuery query, ReadMarks marks, JwtVerifier verifier,
            FrameEncoder frames, InboxProperties properties) {
        InboxHandlers handlers = new InboxHandlers(query, marks, verifier, frames, properties);
        return RouterFunctions.route()
                .GET("/api/v1/inbox", handlers::list)
                .POST("/api/v1/inbox/read", handlers::markRead)
                .DELETE("/api/v1/inbox/{user}", handlers::erase)
                .GET(InboxQuery.SLICE_PATH, RequestPredicates.all(), handlers::slice)
                .build();
    }
}

package dev.tidings.client;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.publisher.PublisherApplication;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real publisher API, started in-process on a random port against the test broker (see
 * {@link KafkaBrokerExtension}) with a topic of its own, as {@code ./tidings up} starts it but
 * with the given {@code tidings.*} / {@code spring.*} settings. Tokens are HS256 with its secret.
 */
public final class LocalPublisher implements AutoCloseable {

    /** The publisher's JWT secret. */
    public static final String SECRET = "client-it-secret-0123456789abcdef01234";

    private final TokenIssuer issuer = new TokenIssuer(SECRET);
    private final String topic = "client-it-" + UUID.randomUUID();
    private final ConfigurableApplicationContext context;

    /** Starts a publisher with its default settings. */
    public LocalPublisher() {
        this(Map.of());
    }

    /** Starts a publisher with these settings besides its port, broker, secret and topic. */
    public LocalPublisher(Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("spring.kafka.bootstrap-servers", KafkaBrokerExtension.bootstrapServers());
        properties.put("tidings.jwt.secret", SECRET);
        properties.put("tidings.topic.name", topic);
        properties.put("spring.main.banner-mode", "off");
        // Tests do not wait for a fresh publisher's JIT warm-up.
        properties.put("tidings.publisher.warm-up.duration", "0s");
        // A test classpath that holds the starter must not give the publisher a client of itself.
        properties.put("spring.autoconfigure.exclude", "dev.tidings.client.autoconfigure.TidingsAutoConfiguration");
        properties.putAll(settings);
        // As command-line arguments: they win over the publisher's application.yml, as in production.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        this.context = new SpringApplicationBuilder(PublisherApplication.class).run(args);
    }

    /** The publisher's base URL. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    /** The topic it writes to. */
    public String topic() {
        return topic;
    }

    /** A token of {@code caller} with the {@code notifications:publish} scope; each caller has its own rate limit. */
    public String token(String caller) {
        return issuer.issue(caller, Set.of(), Set.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(30));
    }

    /** A valid token of {@code caller} without any scope. */
    public String tokenWithoutScope(String caller) {
        return issuer.issue(caller, Set.of(), Set.of(), Duration.ofMinutes(30));
    }

    /** Every record of the topic whose notification id is {@code id}, read to the end of each partition. */
    public List<ConsumerRecord<String, Notification>> recordsWithId(String id) {
        return TopicContents.readToEnd(topic, new StringDeserializer(), new NotificationDeserializer()).stream()
                .filter(record -> record.value() != null && id.equals(record.value().getId())).toList();
    }

    @Override
    public void close() {
        context.close();
    }
}

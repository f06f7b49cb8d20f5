package dev.tidings.publisher.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * One publisher replica, its own Spring application context on the shared test broker, started
 * with the given {@code tidings.*} / {@code spring.*} properties as command-line arguments.
 */
final class Replica implements AutoCloseable {

    static final String SECRET = "replica-it-secret-0123456789abcdef0123";
    static final TokenIssuer ISSUER = new TokenIssuer(SECRET);

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();

    Replica(Map<String, Object> specific) {
        this.context = start(specific);
    }

    /** Starts a publisher with these properties; fails as the application fails. */
    static ConfigurableApplicationContext start(Map<String, Object> specific) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("spring.kafka.bootstrap-servers", KafkaBrokerExtension.bootstrapServers());
        properties.put("tidings.jwt.secret", SECRET);
        properties.put("spring.main.banner-mode", "off");
        properties.putAll(specific);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(PublisherApplication.class).run(args);
    }

    static String token(String caller) {
        return ISSUER.issue(caller, Set.of(), Set.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(10));
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    HttpResponse<String> post(String path, String caller, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("Authorization", "Bearer " + token(caller))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        context.close();
    }

    /** Every record of {@code topic} whose notification id is {@code id}, read to the end of each partition. */
    static List<ConsumerRecord<String, Notification>> recordsWithId(String topic, String id) {
        return TopicContents.readToEnd(topic, new StringDeserializer(), new NotificationDeserializer()).stream()
                .filter(record -> record.value() != null && id.equals(record.value().getId())).toList();
    }
}

package dev.tidings.gateway.inbox;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.gateway.GatewayApplication;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gateways with the inbox on one real broker and a topic of their own, each its own application context
 * with its own state directory under {@code stateRoot}; a producer writing notifications as the publisher
 * does (one record per address, keyed by its routing key); and HTTP calls with users' tokens.
 */
final class InboxCluster implements AutoCloseable {

    static final String SECRET = "inbox-test-secret-0123456789abcdef0123";

    final String topic = "inbox-" + UUID.randomUUID();
    private final Path stateRoot;
    private final Map<String, Object> extra;
    private final TokenIssuer issuer = new TokenIssuer(SECRET);
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final KafkaProducer<String, Notification> producer;
    private final List<ConfigurableApplicationContext> gateways = new ArrayList<>();

    InboxCluster(Path stateRoot, int nodes, Map<String, Object> extra) {
        this.stateRoot = stateRoot;
        this.extra = extra;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerExtension.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new NotificationSerializer());
        for (int i = 0; i < nodes; i++) {
            gateways.add(startGateway(i));
        }
    }

    int port(int node) {
        return ((WebServerApplicationContext) gateways.get(node)).getWebServer().getPort();
    }

    ConfigurableApplicationContext context(int node) {
        return gateways.get(node);
    }

    /** Starts one more gateway; returns its node number. */
    int add() {
        gateways.add(startGateway(gateways.size()));
        return gateways.size() - 1;
    }

    KafkaProducer<String, Notification> producer() {
        return producer;
    }

    Path stateDir(int node) {
        return stateRoot.resolve("gw-" + node);
    }

    void stop(int node) {
        gateways.get(node).close();
    }

    void restart(int node) {
        gateways.set(node, startGateway(node));
    }

    String token(String user, String... groups) {
        return issuer.issue(user, List.of(groups), Set.of(), Duration.ofHours(1));
    }

    String adminToken() {
        return issuer.issue("operator", List.of(), Set.of(InboxHandlers.SCOPE_ADMIN), Duration.ofHours(1));
    }

    /** Writes one notification per address the target names, as the publisher does; returns its id. */
    String publish(Target target, String event, Instant publishedAt, @Nullable Instant expiresAt) {
        String id = UUID.randomUUID().toString();
        publish(id, target, event, publishedAt, expiresAt, null);
        return id;
    }

    String publish(Target target, String event) {
        return publish(target, event, Instant.now(), null);
    }

    void publish(String id, Target target, String event, Instant publishedAt, @Nullable Instant expiresAt,
            @Nullable String replayOf) {
        try {
            for (Address address : Address.of(target)) {
                producer.send(new ProducerRecord<>(topic, address.routingKey(), Notification.newBuilder().setId(id)
                        .setEvent(event).setTarget(address.target()).setPayload("{\"event\":\"" + event + "\"}")
                        .setPublishedAt(publishedAt).setExpiresAt(expiresAt).setSource("inbox-test")
                        .setReplayOf(replayOf).build())).get();
            }
        }
        catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    /** Writes bytes that are no notification under the key, as a broken producer would. */
    void publishRaw(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerExtension.bootstrapServers()), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, key, value)).get();
        }
        catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    static Target user(String id) {
        return new Target(TargetType.USER, List.of(id));
    }

    static Target group(String id) {
        return new Target(TargetType.GROUP, List.of(id));
    }

    static Target everyone() {
        return new Target(TargetType.BROADCAST, List.of());
    }

    HttpResponse<String> get(int node, String path, String token) {
        return send(HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + token).GET());
    }

    HttpResponse<byte[]> getBytes(int node, String path, String token) {
        try {
            return http.send(HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    HttpResponse<String> post(int node, String path, String token, String body) {
        return send(HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> delete(int node, String path, String token) {
        return send(HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + token).DELETE());
    }

    /** The inbox as {@code GET /api/v1/inbox} answers it on the node, waiting out 503s. */
    JsonNode inbox(int node, String token, String query) {
        HttpResponse<String>[] last = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            last[0] = get(node, "/api/v1/inbox" + query, token);
            return last[0].statusCode() != 503;
        });
        if (last[0].statusCode() != 200) {
            throw new AssertionError("inbox answered " + last[0].statusCode() + ": " + last[0].body());
        }
        return json.readTree(last[0].body());
    }

    static List<String> ids(JsonNode inbox) {
        List<String> ids = new ArrayList<>();
        inbox.path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    JsonNode parse(String body) {
        return json.readTree(body);
    }

    private URI uri(int node, String path) {
        return URI.create("http://127.0.0.1:" + port(node) + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    private ConfigurableApplicationContext startGateway(int node) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("management.server.port", "");
        properties.put("spring.kafka.bootstrap-servers", KafkaBrokerExtension.bootstrapServers());
        properties.put("tidings.jwt.secret", SECRET);
        properties.put("spring.main.banner-mode", "off");
        properties.put("tidings.topic.name", topic);
        properties.put("tidings.gateway.node-id", "inbox-gw-" + node);
        properties.put("tidings.inbox.state-dir", stateDir(node).toString());
        properties.put("tidings.inbox.advertised-host", "127.0.0.1");
        properties.put("tidings.gateway.warm-up.duration", "0s");
        properties.putAll(extra);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(GatewayApplication.class).run(args);
    }

    @Override
    public void close() {
        for (ConfigurableApplicationContext gateway : gateways) {
            if (gateway.isActive()) {
                gateway.close();
            }
        }
        producer.close();
    }
}

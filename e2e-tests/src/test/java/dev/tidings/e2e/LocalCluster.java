package dev.tidings.e2e;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.common.cursor.CursorCodec;
import dev.tidings.gateway.GatewayApplication;
import dev.tidings.publisher.PublisherApplication;
import dev.tidings.testing.KafkaBrokerExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The publisher and several gateway nodes, each its own Spring application context, on one
 * real Kafka broker and a topic of their own. Gateways can be stopped, killed and restarted
 * with the same node id.
 */
final class LocalCluster implements AutoCloseable {

    static final String SECRET = "e2e-secret-0123456789abcdef0123456789";
    /** The codec of the gateways' cursors: their key is derived from the shared token secret. */
    static final CursorCodec CURSORS = new CursorCodec(List.of(CursorCodec.deriveKey(SECRET)));

    private final String topic = "e2e-" + UUID.randomUUID();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Object> extra;
    /** The gateways' inbox state directories, one per node id under it; deleted on close. */
    private final Path inboxState = createTempDirectory();
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final TokenIssuer issuer = new TokenIssuer(SECRET);
    private final String publishToken = issuer.issue("e2e-service", Set.of(),
            Set.of(Principal.SCOPE_PUBLISH, Principal.SCOPE_REPLAY), Duration.ofHours(1));
    private final ConfigurableApplicationContext publisher;
    private final List<ConfigurableApplicationContext> gateways = new ArrayList<>();

    LocalCluster(int nodes) {
        this(nodes, Map.of());
    }

    LocalCluster(int nodes, Map<String, Object> extra) {
        this.extra = extra;
        this.publisher = start(PublisherApplication.class, Map.of("tidings.topic.name", topic));
        for (int i = 0; i < nodes; i++) {
            gateways.add(startGateway(i));
        }
    }

    String topic() {
        return topic;
    }

    String nodeId(int node) {
        return "gw-" + (node + 1) + "-" + run;
    }

    int gatewayPort(int node) {
        return port(gateways.get(node));
    }

    int publisherPort() {
        return port(publisher);
    }

    String token(String user, String... groups) {
        return issuer.issue(user, List.of(groups), Set.of(), Duration.ofHours(1));
    }

    String publishToken() {
        return publishToken;
    }

    /** Starts one more gateway as its own OS process on this cluster's topic, with the given node id. */
    GatewayProcess startGatewayProcess(String nodeId) {
        return startGatewayProcess(nodeId, Map.of(), "512m");
    }

    /** {@link #startGatewayProcess(String)} with more settings and the given maximum heap. */
    GatewayProcess startGatewayProcess(String nodeId, Map<String, String> settings, String heap) {
        Map<String, String> properties = new HashMap<>(Map.of("tidings.topic.name", topic,
                "tidings.gateway.node-id", nodeId, "tidings.inbox.state-dir", inboxState.resolve(nodeId).toString(),
                "spring.kafka.bootstrap-servers",
                KafkaBrokerExtension.bootstrapServers(), "tidings.jwt.secret", SECRET));
        properties.putAll(settings);
        return GatewayProcess.start(properties, heap);
    }

    /** Stops a gateway's context (graceful: sessions closed, offsets committed). */
    void stopGateway(int node) {
        gateways.get(node).close();
    }

    /** Starts a stopped gateway again with the same node id (so the same consumer group). */
    void restartGateway(int node) {
        gateways.set(node, startGateway(node));
    }

    /** POSTs a notification and returns the 202 body; fails on any other status. */
    JsonNode publish(String body) {
        HttpResponse<String> response = post("/api/v1/notifications", body);
        if (response.statusCode() != 202) {
            throw new AssertionError("publish answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    JsonNode publish(String targetJson, String event, String payloadJson) {
        return publish("{\"target\":" + targetJson + ",\"event\":\"" + event + "\",\"payload\":" + payloadJson + "}");
    }

    HttpResponse<String> post(String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + publisherPort() + path))
                    .header("Authorization", "Bearer " + publishToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    /**
     * Makes the node's live consumer rejoin its group (on its own thread, at its next poll): its
     * partitions are revoked and assigned again, as in any rebalance.
     */
    void rebalanceGateway(int node) {
        gateways.get(node).getBean("gatewayListenerContainer", MessageListenerContainer.class).enforceRebalance();
    }

    private ConfigurableApplicationContext startGateway(int node) {
        ConfigurableApplicationContext context = start(GatewayApplication.class,
                Map.of("tidings.topic.name", topic, "tidings.gateway.node-id", nodeId(node),
                        "tidings.inbox.state-dir", inboxState.resolve(nodeId(node)).toString(),
                        "tidings.dev.token-endpoint", "true",
                        // As `./tidings up`: any origin, the actuator on the client port (scraped there).
                        "tidings.gateway.allowed-origins", "*", "management.server.port", "",
                        // The publisher's servlet stack shares this JVM's classpath; the gateway runs on Reactor Netty.
                        "spring.main.web-application-type", "reactive"));
        int port = port(context);
        await().atMost(Duration.ofSeconds(60)).until(() -> healthUp(port));
        return context;
    }

    private boolean healthUp(int port) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        }
        catch (Exception ex) {
            return false;
        }
    }

    private ConfigurableApplicationContext start(Class<?> application, Map<String, Object> specific) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("spring.kafka.bootstrap-servers", KafkaBrokerExtension.bootstrapServers());
        properties.put("tidings.jwt.secret", SECRET);
        properties.put("spring.main.banner-mode", "off");
        // Tests that do not measure a fresh service's first seconds do not wait for its JIT warm-up.
        properties.put("tidings.gateway.warm-up.duration", "0s");
        properties.put("tidings.publisher.warm-up.duration", "0s");
        properties.putAll(specific);
        properties.putAll(extra);
        return run(application, properties);
    }

    /** Runs the application in this JVM with {@code properties} as command-line arguments, which win over application.yml. */
    static ConfigurableApplicationContext run(Class<?> application, Map<String, Object> properties) {
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(application).run(args);
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("tidings-inbox-e2e-");
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        Collection<ConfigurableApplicationContext> all = new ArrayList<>(gateways);
        all.add(publisher);
        for (ConfigurableApplicationContext context : all) {
            if (context.isActive()) {
                context.close();
            }
        }
        try (var paths = Files.walk(inboxState)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (java.io.IOException ex) {
            // a leftover temporary directory fails no test
        }
    }
}

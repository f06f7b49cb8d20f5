package dev.tidings.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import dev.tidings.common.cursor.Cursor;
import dev.tidings.gateway.GatewayApplication;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.RecoveryWindow;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fresh gateway runs its JIT warm-up on loopback before it reports ready: it replays the topic's recent
 * records, its health and readiness say OUT_OF_SERVICE meanwhile, a client that connects meanwhile is served as
 * usual and sees nothing of the warm-up, the node's own meters count none of the warm-up's deliveries (its
 * reconnecting sessions' resumes, from the node's position, count as resumes from the window), and its loopback
 * sessions are gone once it reports ready.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GatewayWarmUpIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** The gateways' inbox state, removed after each test. */
    @TempDir
    Path stateDirs;

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void aFreshNodeIsReadyOnlyAfterItsWarmUpAndItsClientsSeeNothingOfIt() throws Exception {
        LocalCluster cluster = new LocalCluster(0);
        resources.add(cluster);
        for (int n = 0; n < 3; n++) {
            assertThat(cluster.post("/api/v1/notifications", """
                    {"target":{"type":"user","ids":["carol"]},"event":"e","payload":{}}""").statusCode()).isEqualTo(202);
        }
        ConfigurableApplicationContext gateway = startGateway(cluster.topic(), Map.of(
                "tidings.jwt.secret", LocalCluster.SECRET, "tidings.gateway.warm-up.duration", "8s"));
        int port = LocalCluster.port(gateway);

        HttpResponse<String> warming = get(port, "/actuator/health");
        assertThat(warming.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(warming.body()).at("/components/warmUp/status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);

        WsTestClient alice = WsTestClient.connect("alice", port, cluster.token("alice", "Class:201901"));
        resources.add(alice);
        await().atMost(Duration.ofSeconds(10)).until(() -> !alice.frames("welcome").isEmpty());
        assertThat(JSON.readTree(get(port, "/actuator/health").body()).at("/components/warmUp/details/state")
                .asString()).as("the warm-up still runs when the client is welcomed").isEqualTo("running");
        assertThat(cluster.post("/api/v1/notifications", """
                {"id":"during-warm-up","target":{"type":"user","ids":["alice"]},"event":"e","payload":{}}""")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.notificationIds().contains("during-warm-up"));

        await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/actuator/health").statusCode() == 200);
        // It ended when the JIT settled or after its 8 s, whichever came first; the node's own health is UP.
        JsonNode done = JSON.readTree(get(port, "/actuator/health").body()).at("/components/warmUp");
        assertThat(done.at("/status").asString()).isEqualTo("UP");
        assertThat(done.at("/details/state").asString()).isEqualTo("done");
        assertThat(done.at("/details/deliveries").asLong()).isGreaterThan(1000);
        assertThat(done.at("/details/handshakes").asLong()).isGreaterThan(64);
        long resumes = done.at("/details/resumes").asLong();
        assertThat(resumes).as("reconnecting sessions resumed from the node's position").isGreaterThan(0);
        assertThat(done.at("/details/recentRecords").asLong()).as("the topic's records before the node started")
                .isEqualTo(3);
        assertThat(done.at("/details/recordsRead").asLong()).as("the three, replayed until the warm-up ended")
                .isGreaterThan(3);
        assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);

        assertThat(cluster.post("/api/v1/notifications", """
                {"id":"after-warm-up","target":{"type":"group","ids":["Class:201901"]},"event":"e","payload":{}}""")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.notificationIds().contains("after-warm-up"));
        assertThat(alice.notificationIds()).containsExactly("during-warm-up", "after-warm-up");
        assertThat(alice.frames()).extracting(frame -> frame.get("type").asString())
                .containsOnly("welcome", "notification");

        MeterRegistry meters = gateway.getBean(MeterRegistry.class);
        // Its resumes ran the node's own resume path, from the window: nothing to replay, no read of the topic.
        assertThat(meters.get("tidings.gateway.resumes").tag("outcome", "window").counter().count())
                .isEqualTo(resumes);
        assertThat(meters.get("tidings.gateway.resumes").tag("outcome", "kafka").counter().count()).isZero();
        assertThat(meters.get("tidings.gateway.resumes").tag("outcome", "unrecovered").counter().count()).isZero();
        assertThat(meters.get("tidings.gateway.deliveries").tag("target", "user").counter().count()).isEqualTo(1);
        assertThat(meters.get("tidings.gateway.deliveries").tag("target", "group").counter().count()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(meters.get("tidings.gateway.connections").gauge().value()).isEqualTo(1));
        // The warm-up routed thousands of records through a router of its own: the node's window and position
        // hold only the topic's five.
        assertThat(gateway.getBean(RecoveryWindow.class).size()).isLessThanOrEqualTo(5);
        Cursor position = gateway.getBean(NodePosition.class).snapshot();
        assertThat(position).isNotNull();
        assertThat(LongStream.of(position.nextOffsets()).sum())
                .as("offsets the node's position has passed, over all partitions").isEqualTo(5);
    }

    @Test
    void aWarmUpWhoseSessionsTheNodeRefusesStopsAndLeavesTheNodeReady() throws Exception {
        ConfigurableApplicationContext gateway = startGateway("warm-up-refused", Map.of(
                "tidings.jwt.secret", LocalCluster.SECRET, "tidings.gateway.max-connections", 8,
                "tidings.gateway.warm-up.connections", 64, "tidings.gateway.warm-up.duration", "20s"));
        int port = LocalCluster.port(gateway);

        JsonNode warmUp = warmUpOnceReady(port);
        assertThat(warmUp.at("/status").asString()).isEqualTo("UP");
        assertThat(warmUp.at("/details/state").asString()).isEqualTo("failed");
        assertThat(warmUp.at("/details/reason").asString()).contains("1013");
        assertThat(warmUp.at("/details/elapsedMillis").asLong()).isLessThan(20_000);
        MeterRegistry meters = gateway.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(meters.get("tidings.gateway.connections").gauge().value()).isZero());
    }

    @Test
    void aNodeThatVerifiesTokensFromAJwksIssuerSkipsTheWarmUpAndIsReadyAtOnce() throws Exception {
        ConfigurableApplicationContext gateway = startGateway("warm-up-jwks", Map.of(
                "tidings.jwt.jwks-uri", "http://127.0.0.1:9/jwks", "tidings.gateway.cursor-keys",
                "warm-up-jwks-cursor-key-0123456789abcdef", "tidings.gateway.warm-up.duration", "6s"));
        int port = LocalCluster.port(gateway);

        JsonNode warmUp = warmUpOnceReady(port);
        assertThat(warmUp.at("/status").asString()).isEqualTo("UP");
        assertThat(warmUp.at("/details/state").asString()).isEqualTo("skipped");
        assertThat(warmUp.at("/details/reason").asString()).contains("JWKS");
    }

    private ConfigurableApplicationContext startGateway(String topic, Map<String, Object> specific) throws Exception {
        Path state = Files.createTempDirectory(stateDirs, topic);
        Map<String, Object> properties = new HashMap<>(Map.of("server.port", 0, "management.server.port", "",
                "spring.kafka.bootstrap-servers", KafkaBrokerExtension.bootstrapServers(),
                "spring.main.banner-mode", "off", "tidings.topic.name", topic,
                "tidings.gateway.node-id", "warm-up-" + Math.abs(System.nanoTime() % 100000),
                "tidings.inbox.state-dir", state.toString(), "spring.main.web-application-type", "reactive",
                // The gateway's application.yml puts the warm-up in the readiness group; this module's classpath
                // finds the publisher's application.yml first (WarmUpSettingsTest pins the gateway's).
                "management.endpoint.health.group.readiness.include", "readinessState,warmUp"));
        properties.putAll(specific);
        ConfigurableApplicationContext context = LocalCluster.run(GatewayApplication.class, properties);
        resources.add(context);
        return context;
    }

    /** The node's {@code warmUp} health component, once its readiness answers 200. */
    private JsonNode warmUpOnceReady(int port) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/actuator/health/readiness").statusCode() == 200);
        return JSON.readTree(get(port, "/actuator/health").body()).at("/components/warmUp");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.gateway.GatewayApplication;
import dev.tidings.publisher.PublisherApplication;
import dev.tidings.testing.KafkaBrokerProcess;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Kafka broker stops while a service keeps publishing, then comes back. While it is down the
 * publisher answers 503 within its send timeout (never a 202, never a hang); every notification
 * that was answered 202, before, during or after the outage, reaches its client once the broker
 * is back. The broker is a process of this test's own, so stopping it harms no other test.
 */
class BrokerOutageIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerOutageIT.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    /** The producer may block this long for metadata before the send timeout even starts. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(5);

    /** One publish attempt and how it ended. */
    private record Attempt(String id, int status, Duration took, long startedNanos) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TokenIssuer issuer = new TokenIssuer(LocalCluster.SECRET);
    private final String publishToken = issuer.issue("outage-test", Set.of(), Set.of(Principal.SCOPE_PUBLISH),
            Duration.ofHours(1));

    /** The gateway's inbox stores. */
    @TempDir
    Path inboxState;

    @Test
    void whileTheBrokerIsDownThePublisherAnswers503AndNoAcceptedNoticeIsLost() throws Exception {
        String topic = "outage-" + UUID.randomUUID();
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        ExecutorService loop = Executors.newSingleThreadExecutor();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start();
                Service publisher = new Service(PublisherApplication.class, broker, Map.of(
                        "tidings.topic.name", topic, "tidings.publisher.warm-up.duration", "0s"));
                Service gateway = new Service(GatewayApplication.class, broker, Map.of(
                        "tidings.topic.name", topic, "tidings.gateway.node-id", "gw-outage",
                        "tidings.inbox.state-dir", inboxState.toString(), "tidings.gateway.warm-up.duration", "0s",
                        "spring.main.web-application-type", "reactive"));
                WsTestClient alice = WsTestClient.connect("alice", gateway.port(),
                        issuer.issue("alice", Set.of(), Set.of(), Duration.ofHours(1)))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !alice.frames("welcome").isEmpty());
            loop.submit(() -> {
                for (int n = 0; publishing.get(); n++) {
                    attempts.add(publish(publisher.port(), "outage-" + n));
                }
            });

            await().atMost(Duration.ofSeconds(30)).until(() -> accepted(attempts, 0).size() >= 10);
            log.info("Stopping the broker after {} attempts", attempts.size());
            broker.stop();
            long down = System.nanoTime();
            await().atMost(Duration.ofSeconds(90)).until(() -> attempts.stream()
                    .filter(a -> a.startedNanos() > down && a.status() == 503).count() >= 2);
            log.info("Restarting the broker after {} attempts", attempts.size());
            long restarting = System.nanoTime();
            broker.restart();
            long up = System.nanoTime();
            await().atMost(Duration.ofSeconds(90)).until(() -> accepted(attempts, up).size() >= 10);
            publishing.set(false);
            loop.shutdown();
            assertThat(loop.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(attempts).allSatisfy(attempt -> {
                assertThat(attempt.status()).as("status of %s", attempt.id()).isIn(202, 503);
                assertThat(attempt.took()).as("time to answer %s", attempt.id())
                        .isLessThan(SEND_TIMEOUT.plus(MAX_BLOCK).plusSeconds(5));
            });
            // Answered while the broker was down from start to end. (One that was still waiting when
            // the broker came back may rightly get its 202: it was written then.)
            assertThat(attempts.stream().filter(a -> a.startedNanos() > down
                            && a.startedNanos() + a.took().toNanos() < restarting))
                    .as("attempts while the broker was down").isNotEmpty()
                    .allSatisfy(a -> assertThat(a.status()).as("status of %s", a.id()).isEqualTo(503));
            List<String> acknowledged = accepted(attempts, 0);
            log.info("{} attempts: {} accepted, {} refused", attempts.size(), acknowledged.size(),
                    attempts.size() - acknowledged.size());
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(alice.notificationIds())
                    .as("notices alice received").containsAll(acknowledged));
        }
        finally {
            publishing.set(false);
            loop.shutdownNow();
        }
    }

    private static List<String> accepted(List<Attempt> attempts, long after) {
        return attempts.stream().filter(a -> a.status() == 202 && a.startedNanos() > after).map(Attempt::id).toList();
    }

    private Attempt publish(int port, String id) {
        long started = System.nanoTime();
        int status;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/notifications"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + publishToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"id":"%s","target":{"type":"user","ids":["alice"]},"event":"outage","payload":{}}"""
                            .formatted(id))).build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
        }
        catch (Exception ex) {
            status = -1;
        }
        return new Attempt(id, status, Duration.ofNanos(System.nanoTime() - started), started);
    }

    /** One Spring Boot service of the cluster on the test's own broker. */
    private static final class Service implements AutoCloseable {

        private final ConfigurableApplicationContext context;

        Service(Class<?> application, KafkaBrokerProcess broker, Map<String, Object> specific) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("server.port", 0);
            properties.put("management.server.port", ""); // the actuator on the client port
            properties.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
            properties.put("tidings.jwt.secret", LocalCluster.SECRET);
            properties.put("spring.main.banner-mode", "off");
            properties.putAll(specific);
            String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new);
            this.context = new SpringApplicationBuilder(application).run(args);
            if (application == GatewayApplication.class) {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(60)).until(() -> http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            }
        }

        int port() {
            return ((WebServerApplicationContext) context).getWebServer().getPort();
        }

        @Override
        public void close() {
            context.close();
        }
    }
}

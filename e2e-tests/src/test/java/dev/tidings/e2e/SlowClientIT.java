package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client stops reading its socket — a real TCP connection with a tiny receive window whose
 * bytes nobody reads — while a flood of large notices is addressed to it. The node cuts it
 * (4408, or the connection dropped once its write timed out) and meanwhile 100 other clients on
 * the same node keep receiving every broadcast within normal latency.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SlowClientIT {

    private static final Logger log = LoggerFactory.getLogger(SlowClientIT.class);
    private static final int FAST_CLIENTS = 100;
    private static final int LARGE_NOTICES = 150;
    private static final int PAYLOAD_CHARS = 50_000;
    private static final int TICKS = 20;
    /** What a client waiting behind a stalled one would see; the stalled one is cut by its byte limit. */
    private static final Duration NORMAL_LATENCY = Duration.ofSeconds(2);

    @Test
    void aClientThatStopsReadingIsCutWhileAHundredOthersKeepReceivingPromptly() throws Exception {
        List<WsTestClient> fast = new ArrayList<>();
        ExecutorService flood = Executors.newSingleThreadExecutor();
        try (LocalCluster cluster = new LocalCluster(1);
                RawWebSocket slow = RawWebSocket.connect(cluster.gatewayPort(0), cluster.token("slowpoke"), 4096,
                        Map.of())) {
            int port = cluster.gatewayPort(0);
            assertThat(slow.status()).as("the slow client's handshake").isEqualTo(101);
            for (int i = 0; i < FAST_CLIENTS; i++) {
                fast.add(WsTestClient.connect("fast-" + i, port, cluster.token("fast-" + i)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> fast.stream().allMatch(c -> !c.frames("welcome").isEmpty()));

            String blob = "x".repeat(PAYLOAD_CHARS);
            Future<?> flooding = flood.submit(() -> {
                for (int i = 0; i < LARGE_NOTICES; i++) {
                    cluster.publish("{\"type\":\"user\",\"ids\":[\"slowpoke\"]}", "bulk",
                            "{\"n\":" + i + ",\"blob\":\"" + blob + "\"}");
                }
            });
            List<String> ticks = new ArrayList<>();
            List<Duration> latencies = new ArrayList<>();
            for (int t = 0; t < TICKS; t++) {
                String tick = cluster.publish("{\"type\":\"broadcast\"}", "tick", "{\"t\":" + t + "}")
                        .get("id").asString();
                long accepted = System.nanoTime();
                ticks.add(tick);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> fast.stream().allMatch(c -> c.notificationIds().contains(tick)));
                latencies.add(Duration.ofNanos(System.nanoTime() - accepted));
            }
            flooding.get();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    Scrape.metric(port, "tidings_gateway_slow_client_cuts_total")).as("slow clients cut").isEqualTo(1));
            RawWebSocket.Ending ending = slow.readUntilClosed(Duration.ofSeconds(30));
            log.info("Tick latencies to all {} clients: {}; slow client ended with {}", FAST_CLIENTS,
                    latencies.stream().map(Duration::toMillis).toList(), ending);
            assertThat(ending.closeCode()).as("how the slow client's connection ended: %s", ending).isIn(4408, -1);
            assertThat(ending.bytesRead()).as("bytes the slow client could still read")
                    .isLessThan((long) LARGE_NOTICES * PAYLOAD_CHARS);
            assertThat(Collections.max(latencies)).as("slowest tick to reach all %d clients", FAST_CLIENTS)
                    .isLessThan(NORMAL_LATENCY);
            for (WsTestClient client : fast) {
                assertThat(client.notificationIds()).as(client.name()).containsExactlyElementsOf(ticks);
                assertThat(client.closeCode()).as(client.name() + " still connected").isNotDone();
            }
            assertThat(Scrape.metric(port, "tidings_gateway_connections")).isEqualTo(FAST_CLIENTS);
        }
        finally {
            flood.shutdownNow();
            fast.forEach(WsTestClient::close);
        }
    }
}

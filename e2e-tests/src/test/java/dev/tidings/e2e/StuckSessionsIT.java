package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thirty clients resume over a large backlog and then never read: real TCP connections with a
 * small receive window nobody drains. They must not hold the node: a healthy client on the same
 * node keeps getting each live notification within a second, and the stuck sessions are cut with
 * 4408 once they made no progress for the send timeout, whether or not anything new is written
 * to them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StuckSessionsIT {

    private static final Logger log = LoggerFactory.getLogger(StuckSessionsIT.class);
    /** CI's size; {@code bench/scripts/chaos.sh} runs it with the 512 MiB default budget and a larger backlog. */
    private static final int STUCK = Integer.getInteger("tidings.chaos.stuck.sessions", 30);
    private static final int BACKLOG = Integer.getInteger("tidings.chaos.stuck.backlog", 3_000);
    private static final long BUDGET = Long.getLong("tidings.chaos.stuck.budget", 32 * 1024 * 1024);
    private static final int PAYLOAD_BYTES = 2_048;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(4);

    @Test
    void stuckSessionsResumedOverABacklogNeitherDelayAHealthyClientNorOutliveTheSendTimeout() throws Exception {
        List<RawWebSocket> stuck = new ArrayList<>();
        // The node's outbound budget is far below what the stuck sessions' replays add up to (~180 MiB).
        try (LocalCluster cluster = new LocalCluster(1, Map.of("tidings.gateway.max-outbound-bytes", BUDGET,
                "tidings.gateway.send-timeout", SEND_TIMEOUT.toMillis() + "ms"));
                DirectProducer producer = new DirectProducer(cluster.topic());
                WsTestClient healthy = WsTestClient.connect("healthy", cluster.gatewayPort(0), cluster.token("healthy"))) {
            int port = cluster.gatewayPort(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> !healthy.frames("welcome").isEmpty()
                    && healthy.frames("welcome").get(0).hasNonNull("cursor"));
            String before = healthy.frames("welcome").get(0).get("cursor").asString();
            producer.broadcast(BACKLOG, PAYLOAD_BYTES);
            await().atMost(Duration.ofSeconds(300)).until(() -> healthy.notificationIds().size() == BACKLOG);

            for (int i = 0; i < STUCK; i++) {
                RawWebSocket client = RawWebSocket.connect(port, cluster.token("stuck-" + i), before, 4096, Map.of());
                assertThat(client.status()).as("stuck client %d's handshake", i).isEqualTo(101);
                stuck.add(client);
            }
            long cutsBefore = (long) Scrape.metric(port, "tidings_gateway_slow_client_cuts_total");
            long stuckAt = System.nanoTime();

            List<Duration> latencies = new ArrayList<>();
            List<String> ticks = new ArrayList<>();
            while (System.nanoTime() - stuckAt < SEND_TIMEOUT.multipliedBy(2).toNanos()) {
                String tick = cluster.publish("{\"type\":\"user\",\"ids\":[\"healthy\"]}", "tick", "{}").get("id")
                        .asString();
                long accepted = System.nanoTime();
                ticks.add(tick);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> healthy.notificationIds().contains(tick));
                latencies.add(Duration.ofNanos(System.nanoTime() - accepted));
            }
            await().atMost(SEND_TIMEOUT.plusSeconds(10)).untilAsserted(() -> assertThat(
                    Scrape.metric(port, "tidings_gateway_slow_client_cuts_total") - cutsBefore)
                    .as("stuck sessions cut with 4408").isEqualTo(STUCK));
            Duration cutAfter = Duration.ofNanos(System.nanoTime() - stuckAt);
            log.info("{} ticks to the healthy client, slowest {} ms; {} stuck sessions cut within {} ms", ticks.size(),
                    Collections.max(latencies).toMillis(), STUCK, cutAfter.toMillis());
            assertThat(Collections.max(latencies)).as("slowest live notification to the healthy client: %s",
                    latencies.stream().map(Duration::toMillis).toList()).isLessThan(Duration.ofSeconds(1));
            assertThat(healthy.notificationIds()).as("the healthy client got every tick, once").containsSequence(ticks)
                    .doesNotHaveDuplicates();
            for (RawWebSocket client : stuck) {
                RawWebSocket.Ending ending = client.readUntilClosed(Duration.ofSeconds(30));
                assertThat(ending.closeCode()).as("how a stuck client's connection ended: %s", ending).isIn(4408, -1);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    Scrape.metric(port, "tidings_gateway_connections")).isEqualTo(1.0));
        }
        finally {
            stuck.forEach(RawWebSocket::close);
        }
    }
}

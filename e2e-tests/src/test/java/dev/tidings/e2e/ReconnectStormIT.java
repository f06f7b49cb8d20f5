package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The clients of a dead node arrive at once on a survivor, each with a cursor from before the
 * notifications it missed. The survivor runs with a small heap (scaled to the storm as the local
 * cluster's heap is to ten thousand clients): every client must get everything it missed and
 * {@code recovered:true}, and the node must not run out of memory on the way. CI runs 2,000 clients
 * on a 128 MiB node; {@code bench/scripts/chaos.sh} runs 10,000 on the 512 MiB that {@code ./tidings up}
 * gives a gateway ({@code -Dtidings.chaos.storm.clients}, {@code -Dtidings.chaos.storm.heap}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReconnectStormIT {

    private static final Logger log = LoggerFactory.getLogger(ReconnectStormIT.class);
    private static final int CLIENTS = Integer.getInteger("tidings.chaos.storm.clients", 2_000);
    private static final String HEAP = System.getProperty("tidings.chaos.storm.heap", "128m");
    /** The node's resume budget, scaled with its heap as the default 64 MiB is to 512 MiB. */
    private static final String RESUME_BUFFER = System.getProperty("tidings.chaos.storm.resume-buffer", "16777216");
    /** Clients on slow links: what the node sends them waits in its memory, not in their kernel. */
    private static final int RECEIVE_BUFFER = 8192;
    private static final Duration PER_FRAME = Duration.ofMillis(2);
    private static final int MISSED = 100;

    @Test
    void thousandsOfClientsResumingAtOnceOnASurvivorWithASmallHeapEachGetEverythingTheyMissed() throws Exception {
        List<RawWebSocket> clients = new CopyOnWriteArrayList<>();
        ExecutorService connecting = Executors.newFixedThreadPool(64);
        try (LocalCluster cluster = new LocalCluster(0);
                DirectProducer producer = new DirectProducer(cluster.topic());
                GatewayProcess survivor = cluster.startGatewayProcess("gw-survivor",
                        Map.of("tidings.gateway.resume-buffer-bytes", RESUME_BUFFER), HEAP);
                WsTestClient probe = WsTestClient.connect("probe", survivor.port(), cluster.token("probe"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !probe.frames("welcome").isEmpty()
                    && probe.frames("welcome").get(0).hasNonNull("cursor"));
            String before = probe.frames("welcome").get(0).get("cursor").asString();
            List<String> missed = producer.broadcast(MISSED, 1_024);
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.notificationIds().size() == MISSED);

            long stormAt = System.nanoTime();
            List<Future<?>> handshakes = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String token = cluster.token("storm-" + i);
                handshakes.add(connecting.submit(() -> {
                    RawWebSocket client = RawWebSocket.connect(survivor.port(), token, before, RECEIVE_BUFFER,
                            Map.of());
                    assertThat(client.status()).as("handshake").isEqualTo(101);
                    clients.add(client.startReading(PER_FRAME));
                    return null;
                }));
            }
            for (Future<?> handshake : handshakes) {
                handshake.get();
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> !survivor.isAlive()
                    || clients.stream().allMatch(c -> resumed(c) != null || c.closeCode().isDone()));
            long lastResumedMillis = Duration.ofNanos(System.nanoTime() - stormAt).toMillis();

            assertThat(survivor.isAlive()).as("the survivor is alive (it exits on OutOfMemoryError)").isTrue();
            log.info("{} clients resumed {} notifications each on a {} node; all resumed within {} ms of the storm's start",
                    CLIENTS, MISSED, HEAP, lastResumedMillis);
            for (RawWebSocket client : clients) {
                assertThat(client.closeCode()).as("a storm client's connection (failure: %s)", client.failure())
                        .isNotDone();
                assertThat(resumed(client)).as("resumed").contains("\"recovered\":true");
                assertThat(notificationIds(client)).as("replayed").containsExactlyElementsOf(missed);
            }
        }
        finally {
            connecting.shutdownNow();
            clients.forEach(RawWebSocket::close);
        }
    }

    private static String resumed(RawWebSocket client) {
        for (String text : client.texts()) {
            if (text.startsWith("{\"type\":\"resumed\"")) {
                return text;
            }
        }
        return null;
    }

    private static List<String> notificationIds(RawWebSocket client) {
        List<String> ids = new ArrayList<>();
        for (String text : client.texts()) {
            if (text.startsWith("{\"type\":\"notification\"")) {
                int at = text.indexOf("\"id\":\"") + 6;
                ids.add(text.substring(at, text.indexOf('"', at)));
            }
        }
        return ids;
    }
}

package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a cursor can cost a node. The topic id and partition count are in every welcome frame, so
 * anyone can write a cursor at offset 0: the node must refuse any cursor it did not sign. And a
 * real but ancient cursor must cost a bounded scan, a bounded replay and a flat heap, while live
 * delivery to the node's other clients goes on.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ForgedAndAncientCursorsIT {

    private static final Logger log = LoggerFactory.getLogger(ForgedAndAncientCursorsIT.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aCursorTheNodesDidNotSignIsRefusedWithBadCursorAndReplaysNothing() {
        try (LocalCluster cluster = new LocalCluster(1);
                WsTestClient probe = WsTestClient.connect("probe", cluster.gatewayPort(0), cluster.token("probe"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !probe.frames("welcome").isEmpty()
                    && probe.frames("welcome").get(0).hasNonNull("cursor"));
            byte[] real = Base64.getUrlDecoder().decode(probe.frames("welcome").get(0).get("cursor").asString());
            cluster.publish("{\"type\":\"broadcast\"}", "before", "{}");
            // Once the node delivered it live, anything an attacker connecting later receives would be a replay.
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.notificationIds().size() == 1);

            for (String forged : List.of(signedWithAGuess(real), unsignedVersionOne(real))) {
                try (WsTestClient attacker = WsTestClient.connect("mallory", cluster.gatewayPort(0),
                        cluster.token("mallory"), forged)) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> !attacker.frames("resumed").isEmpty());
                    assertThat(attacker.frames("error")).as("errors for %s", forged).hasSize(1).first()
                            .satisfies(e -> assertThat(e.get("code").asString()).isEqualTo("bad_cursor"));
                    JsonNode resumed = attacker.frames("resumed").get(0);
                    assertThat(resumed.get("recovered").asBoolean()).isFalse();
                    assertThat(resumed.get("replayed").asInt()).isZero();
                    assertThat(attacker.notificationIds()).as("nothing replayed to a forged cursor").isEmpty();
                    assertThat(attacker.frames("welcome").get(0).get("cursor").asString())
                            .as("the welcome of a refused cursor carries the node's position").isNotEqualTo(forged);
                }
            }
            assertThat(Scrape.series(cluster.gatewayPort(0), "tidings_gateway_resumes_total", "outcome", "bad_cursor"))
                    .isEqualTo(2);
        }
    }

    @Test
    void tenResumesFromTheStartOfALargeTopicAreBoundedAndKeepLiveDeliveryPrompt() throws Exception {
        // CI: 120 MiB on a 160 MiB node with small buffers; bench/scripts/chaos.sh: 1 GiB on 512 MiB with the defaults.
        int records = Integer.getInteger("tidings.chaos.ancient.records", 60_000);
        int payload = 2_048;
        boolean full = records > 100_000;
        Map<String, String> settings = full ? Map.of("tidings.gateway.max-replay", "1000")
                : Map.of("tidings.gateway.max-replay", "1000", "tidings.gateway.max-catch-up-records", "20000",
                        "tidings.gateway.catch-up-buffer-bytes", "8388608",
                        "tidings.gateway.recovery-window-bytes", "16777216");
        List<RawWebSocket> ancient = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster(0);
                DirectProducer producer = new DirectProducer(cluster.topic());
                GatewayProcess node = cluster.startGatewayProcess("gw-bounded", settings, full ? "512m" : "160m");
                WsTestClient healthy = WsTestClient.connect("healthy", node.port(), cluster.token("healthy"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !healthy.frames("welcome").isEmpty()
                    && healthy.frames("welcome").get(0).hasNonNull("cursor"));
            String start = healthy.frames("welcome").get(0).get("cursor").asString();
            // To a group of the ancient clients: far more than the recovery window, most of the node's heap or more.
            producer.toGroup("Class:archive", records, payload);
            await().atMost(Duration.ofSeconds(120)).until(() -> Scrape.series(node.port(),
                    "tidings_gateway_latency_seconds_count", "stage", "routed") >= records);

            for (int i = 0; i < 10; i++) {
                RawWebSocket client = RawWebSocket.connect(node.port(), cluster.token("ancient-" + i, "Class:archive"),
                        start, 0, Map.of());
                assertThat(client.status()).isEqualTo(101);
                ancient.add(client.startReading());
            }
            List<Duration> latencies = new ArrayList<>();
            long began = System.nanoTime();
            while (!ancient.stream().allMatch(c -> resumed(c) != null)
                    && System.nanoTime() - began < Duration.ofSeconds(90).toNanos()) {
                String tick = cluster.publish("{\"type\":\"user\",\"ids\":[\"healthy\"]}", "tick", "{}").get("id")
                        .asString();
                long accepted = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> healthy.notificationIds().contains(tick));
                latencies.add(Duration.ofNanos(System.nanoTime() - accepted));
            }
            Duration allResumed = Duration.ofNanos(System.nanoTime() - began);
            assertThat(node.isAlive()).as("the node is alive (it exits on OutOfMemoryError):%n%s", node.log()).isTrue();
            log.info("10 resumes from offset 0 of {} records of {} bytes done in {} ms; {} ticks, slowest {} ms", records,
                    payload, allResumed.toMillis(), latencies.size(), Collections.max(latencies).toMillis());
            for (RawWebSocket client : ancient) {
                JsonNode resumed = resumed(client);
                assertThat(resumed).as("a resumed frame after %d frames; the node's log ends:%n%s", client.texts().size(),
                        tail(node.log())).isNotNull();
                assertThat(resumed.get("recovered").asBoolean()).as("more missed than a resume may replay").isFalse();
                assertThat(resumed.get("replayed").asInt()).as("replayed").isBetween(1, 1000);
                assertThat(client.closeCode()).as("still connected").isNotDone();
            }
            assertThat(Collections.max(latencies)).as("slowest live notification during the resumes: %s",
                    latencies.stream().map(Duration::toMillis).toList()).isLessThan(Duration.ofSeconds(1));
            if (!full) {
                assertThat(Scrape.metric(node.port(), "tidings_gateway_catch_up_trimmed_total"))
                        .as("resumes whose scan was bounded by max-catch-up-records").isEqualTo(10);
            }
        }
        finally {
            ancient.forEach(RawWebSocket::close);
        }
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
    }

    private static JsonNode resumed(RawWebSocket client) {
        for (String text : client.texts()) {
            if (text.startsWith("{\"type\":\"resumed\"")) {
                return JSON.readTree(text);
            }
        }
        return null;
    }

    /** A version 2 cursor at offset 0 of every partition, with the real topic id and a MAC made up. */
    private static String signedWithAGuess(byte[] real) {
        int partitions = real[17];
        ByteBuffer forged = ByteBuffer.allocate(1 + 16 + 1 + partitions + 1 + 16);
        forged.put(real, 0, 18);
        for (int p = 0; p < partitions; p++) {
            forged.put((byte) 0);
        }
        byte[] guess = new byte[17];
        new SecureRandom().nextBytes(guess);
        forged.put(guess);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(forged.array());
    }

    /** The unsigned version 1 layout (CRC-32C instead of a MAC) at offset 0 of every partition. */
    private static String unsignedVersionOne(byte[] real) {
        int partitions = real[17];
        ByteBuffer body = ByteBuffer.allocate(1 + 16 + 1 + partitions);
        body.put((byte) 1).put(real, 1, 17);
        for (int p = 0; p < partitions; p++) {
            body.put((byte) 0);
        }
        CRC32C crc = new CRC32C();
        crc.update(body.array());
        ByteBuffer out = ByteBuffer.allocate(body.capacity() + 4).put(body.array()).putInt((int) crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }
}

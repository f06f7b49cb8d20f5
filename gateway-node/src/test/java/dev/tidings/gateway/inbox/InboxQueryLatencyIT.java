package dev.tidings.gateway.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.Target;
import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inbox query latency on loopback with a synthetic load: {@code users} users, each in one of {@code groups}
 * groups, each inbox 50 items (35 to the user, 10 to its group, 5 broadcasts); sequential
 * {@code GET /api/v1/inbox?limit=50} of random users, on one gateway and on one of two gateways (part of
 * the addresses owned by the other). Also the stores' size on disk and how long a gateway that lost its
 * state directory takes to list every inbox again. A measurement, not a check: it runs only with {@code -Dtidings.latency=true};
 * the scale with {@code -Dtidings.inbox.users} (default 2000) and {@code -Dtidings.inbox.groups} (default 100).
 */
@ExtendWith(KafkaBrokerExtension.class)
class InboxQueryLatencyIT {

    private static final int OWN = 35;
    private static final int PER_GROUP = 10;
    private static final int BROADCASTS = 5;
    private static final int WARM_UP = 1_000;
    private static final int MEASURED = 5_000;

    @TempDir
    Path state;

    @Test
    void printsInboxQueryLatencyStorageAndRebuildTimeOnOneGateway() throws Exception {
        assumeTrue(Boolean.getBoolean("tidings.latency"), "a measurement: run with -Dtidings.latency=true");
        try (InboxCluster cluster = new InboxCluster(state, 1, Map.of("tidings.inbox.standby-replicas", 0))) {
            List<String> tokens = loadAndAwait(cluster);
            System.out.println("INBOX one gateway: " + measure(cluster, 0, tokens));
            cluster.stop(0); // closing Kafka Streams flushes every store to disk
            long bytes = size(cluster.stateDir(0));
            long items = (long) users() * OWN + (long) groups() * PER_GROUP + BROADCASTS;
            System.out.printf("INBOX state on disk: %.1f MiB for %d stored items, %.1f MiB per 1M items%n",
                    bytes / 1048576.0, items, bytes / 1048576.0 / items * 1_000_000);

            deleteRecursively(cluster.stateDir(0));
            long restarted = System.nanoTime();
            cluster.restart(0);
            awaitComplete(cluster, 0, tokens);
            System.out.printf("INBOX rebuild after losing the local state: complete %.1f s after the restart%n",
                    (System.nanoTime() - restarted) / 1e9);
        }
    }

    @Test
    void printsInboxQueryLatencyOnOneOfTwoGateways() throws Exception {
        assumeTrue(Boolean.getBoolean("tidings.latency"), "a measurement: run with -Dtidings.latency=true");
        try (InboxCluster cluster = new InboxCluster(state, 2, Map.of("tidings.inbox.standby-replicas", 0))) {
            await().atMost(Duration.ofMinutes(2)).until(() -> activeTasks(cluster, 0) > 0 && activeTasks(cluster, 1) > 0);
            List<String> tokens = loadAndAwait(cluster);
            System.out.println("INBOX one of two gateways: " + measure(cluster, 0, tokens));
        }
    }

    private static int users() {
        return Integer.getInteger("tidings.inbox.users", 2_000);
    }

    private static int groups() {
        return Integer.getInteger("tidings.inbox.groups", 100);
    }

    private static List<String> loadAndAwait(InboxCluster cluster) throws Exception {
        int users = users();
        int groups = groups();
        long started = System.nanoTime();
        long records = load(cluster, users, groups);
        List<String> tokens = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            tokens.add(cluster.token("u" + u, "g" + (u % groups)));
        }
        awaitComplete(cluster, 0, tokens);
        double ingest = (System.nanoTime() - started) / 1e9;
        System.out.printf("INBOX load: %d users, %d groups, %d records written and stored in %.1f s (%.0f records/s)%n",
                users, groups, records, ingest, records / ingest);
        return tokens;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static long load(InboxCluster cluster, int users, int groups) throws Exception {
        Instant t = Instant.now().minusSeconds(3_600);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        long records = 0;
        for (int b = 0; b < BROADCASTS; b++) {
            acks.add(send(cluster, InboxCluster.everyone(), "b" + b, t.plusMillis(b)));
            records++;
        }
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < PER_GROUP; i++) {
                acks.add(send(cluster, InboxCluster.group("g" + g), "g" + g + "-" + i, t.plusMillis(100 + i)));
                records++;
            }
        }
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < OWN; i++) {
                acks.add(send(cluster, InboxCluster.user("u" + u), "u" + u + "-" + i, t.plusMillis(1_000 + i)));
                records++;
            }
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
        return records;
    }

    private static Future<RecordMetadata> send(InboxCluster cluster, Target target, String id, Instant at) {
        Address address = Address.of(target).get(0);
        return cluster.producer().send(new ProducerRecord<>(cluster.topic, address.routingKey(),
                Notification.newBuilder().setId(id).setEvent("bench").setTarget(target)
                        .setPayload("{\"course\":\"Class:201901\",\"grade\":\"A\",\"note\":\"" + id + "\"}")
                        .setPublishedAt(at).setExpiresAt(null).setSource("inbox-bench").setReplayOf(null).build()));
    }

    /** Waits until a sample of inboxes lists all 50 items on the node. */
    private static void awaitComplete(InboxCluster cluster, int node, List<String> tokens) {
        int step = Math.max(1, tokens.size() / 50);
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (int u = 0; u < tokens.size(); u += step) {
                assertThat(cluster.inbox(node, tokens.get(u), "?limit=50").path("unread").asLong())
                        .isEqualTo(OWN + PER_GROUP + BROADCASTS);
            }
        });
    }

    private static String measure(InboxCluster cluster, int node, List<String> tokens) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + cluster.port(node) + "/api/v1/inbox?limit=50");
        Random random = new Random(42);
        long[] micros = new long[MEASURED];
        for (int n = 0; n < WARM_UP + MEASURED; n++) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + tokens.get(random.nextInt(tokens.size()))).GET().build();
            long started = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = (System.nanoTime() - started) / 1000;
            assertThat(response.statusCode()).isEqualTo(200);
            if (n >= WARM_UP) {
                micros[n - WARM_UP] = took;
            }
        }
        Arrays.sort(micros);
        return String.format("%d sequential queries (limit 50, 50 items each): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                MEASURED, micros[MEASURED / 2] / 1000.0, micros[MEASURED * 9 / 10] / 1000.0,
                micros[MEASURED * 99 / 100] / 1000.0, micros[MEASURED - 1] / 1000.0);
    }

    private static int activeTasks(InboxCluster cluster, int node) {
        return cluster.context(node).getBean(InboxStreams.class).streams().metadataForLocalThreads().stream()
                .mapToInt(thread -> thread.activeTasks().size()).sum();
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

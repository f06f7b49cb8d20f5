package dev.tidings.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import dev.tidings.router.decode.ConfluentFrames;
import dev.tidings.router.engine.Router;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.SchemaRegistry;
import dev.tidings.testing.SchemaRegistryExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the router sustains on this machine's test broker, printed for docs/benchmarks.md: records/s
 * through one route with nothing lost, and the latency it adds at a steady 2,000 records/s. The
 * assertions are that nothing is lost and a throughput far below the figures, so that a loaded
 * machine still passes; the broker (embedded, in this JVM) and the router share the same cores, so
 * the figures are a floor, and the latency is only printed: on a machine shared with other builds it
 * measures their load.
 */
@ExtendWith({ KafkaBrokerExtension.class, SchemaRegistryExtension.class })
class RouterThroughputIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final NotificationDeserializer DECODER = new NotificationDeserializer();
    /** Records per latency measurement: 10 s at 2,000/s. */
    static final int TOTAL = 20_000;
    /** The first 2 s of each latency measurement, left out. */
    static final int SKIPPED = 4_000;

    static final String ORDER_SCHEMA = """
            {"type":"record","name":"OrderShipped","namespace":"shop","fields":[
              {"name":"type","type":"string"},
              {"name":"customer","type":"string"},
              {"name":"order","type":"long"},
              {"name":"status","type":"string"}
            ]}""";

    final String id = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void oneRouteRoutesABacklogOfJsonRecordsWithNothingLost() {
        int records = 100_000;
        String source = "bench.json." + id;
        Kafka.createTopic(source, 6);
        List<String> values = IntStream.range(0, records)
                .mapToObj(i -> "{\"type\":\"order.shipped\",\"customer\":\"c" + (i % 1000) + "\",\"order\":" + i
                        + ",\"status\":\"final\"}").toList();
        for (int from = 0; from < records; from += 10_000) {
            Kafka.produce(source, values.subList(from, from + 10_000));
        }
        routeBacklog("JSON", source, records, "");
    }

    @Test
    void oneRouteRoutesABacklogOfConfluentFramedAvroRecordsThroughTheLiveRegistryWithNothingLost(
            SchemaRegistry registry) {
        int records = 100_000;
        String source = "bench.avro." + id;
        Kafka.createTopic(source, 6);
        Schema schema = new Schema.Parser().parse(ORDER_SCHEMA);
        int schemaId = registry.register(source + "-value", ORDER_SCHEMA);
        List<byte[]> values = IntStream.range(0, records).mapToObj(i -> {
            GenericRecord order = new GenericData.Record(schema);
            order.put("type", "order.shipped");
            order.put("customer", "c" + (i % 1000));
            order.put("order", (long) i);
            order.put("status", "final");
            return ConfluentFrames.framed(schemaId, order);
        }).toList();
        for (int from = 0; from < records; from += 10_000) {
            Kafka.produceBytes(source, values.subList(from, from + 10_000));
        }
        routeBacklog("Avro", source, records, """
                    format: avro-confluent
                schema-registry:
                  url: %s
                """.formatted(registry.url()));
    }

    /** Routes the topic's backlog with one filtered, templated route; prints records/s from first in to all committed. */
    private void routeBacklog(String format, String source, int records, String formatAndRegistry) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String route = "bench-" + format.toLowerCase(java.util.Locale.ROOT) + "-" + id;
        String routes = """
                routes:
                  - name: %s
                    topic: %s
                    filter: "$.status == 'final'"
                    event: "${$.type}"
                    target: {type: user, ids: "$.customer"}
                    payload: {order: "$.order"}
                    start: earliest
                """.formatted(route, source);
        // The format line belongs to the route; the registry, if any, follows the routes.
        routes = formatAndRegistry.isEmpty() ? routes : routes + formatAndRegistry;
        try (Router router = Kafka.router(routes, "bench-notifications-" + route, meters)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> meters.get("tidings.router.records.in").counter()
                    .count() > 0);
            long begin = System.nanoTime();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Kafka.committedTotal("tidings-router." + route) == records);
            double seconds = (System.nanoTime() - begin) / 1e9;
            System.out.printf("RouterThroughputIT: %d %s records routed and committed in %.2f s: %.0f records/s%n",
                    records, format, seconds, records / seconds);
            assertThat(meters.get("tidings.router.notifications").counter().count()).isEqualTo(records);
            assertThat(meters.get("tidings.router.records.dead.lettered").counter().count()).isZero();
            assertThat(records / seconds).isGreaterThan(1000);
        }
    }

    /**
     * The latency the router adds, and what each delivery protocol would add, in one run on one broker:
     * the same producer, load and reader (send time to the moment a Kafka consumer reads the record)
     * through a direct hop, through the router as a process of its own (started as {@code ./tidings up}
     * starts it), and through a bare consume-produce loop with the router's at-least-once protocol and
     * with Kafka transactions read {@code read_committed} ({@link ForwardingHop}).
     */
    @Test
    void atTwoThousandRecordsASecondEveryRecordArrivesAndTheLatencyEachHopAddsIsPrinted(@TempDir Path dir)
            throws Exception {
        String source = "bench.latency." + id;
        String notifications = "bench-latency-notifications-" + id;
        String direct = "bench.direct." + id;
        String forwarded = "bench.forwarded." + id;
        for (String topic : List.of(source, direct, forwarded + ".in", forwarded + ".alo", forwarded + ".eos")) {
            Kafka.createTopic(topic, 6);
        }
        Function<byte[], JsonNode> json = JSON::readTree;
        List<Long> hop = sendAndRead(direct, direct, "read_uncommitted", json);

        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, """
                routes:
                  - name: latency-%s
                    topic: %s
                    event: order.shipped
                    target: {type: user, ids: "$.customer"}
                    start: earliest
                """.formatted(id, source));
        List<Long> routed;
        try (RouterProcess router = RouterProcess.start(Map.of(
                "tidings.router.routes-file", routes.toString(),
                "tidings.topic.name", notifications,
                "tidings.topic.partitions", "6",
                "spring.kafka.bootstrap-servers", KafkaBrokerExtension.bootstrapServers()),
                List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"))) { // the options ./tidings up gives it
            await().atMost(Duration.ofSeconds(30)).until(() -> Kafka.committed("tidings-router.latency-" + id)
                    .size() == 6);
            Function<byte[], JsonNode> notification = value -> JSON.readTree(DECODER.deserialize(notifications, value)
                    .getPayload());
            // A process just started compiles its hot path for tens of seconds: the same load first, unmeasured.
            sendAndRead(source, notifications, "read_uncommitted", notification);
            routed = sendAndRead(source, notifications, "read_uncommitted", notification);
        }
        List<Long> atLeastOnce;
        try (ForwardingHop forward = new ForwardingHop(forwarded + ".in", forwarded + ".alo",
                ForwardingHop.Guarantee.AT_LEAST_ONCE).start()) {
            atLeastOnce = sendAndRead(forwarded + ".in", forwarded + ".alo", "read_uncommitted", json);
            System.out.printf("RouterThroughputIT: at-least-once loop: %s%n", batchesSummary(forward.takeBatches()));
        }
        List<Long> exactlyOnce;
        try (ForwardingHop forward = new ForwardingHop(forwarded + ".in", forwarded + ".eos",
                ForwardingHop.Guarantee.EXACTLY_ONCE).start()) {
            exactlyOnce = sendAndRead(forwarded + ".in", forwarded + ".eos", "read_committed", json);
            System.out.printf("RouterThroughputIT: exactly-once loop: %s%n", batchesSummary(forward.takeBatches()));
        }
        System.out.printf("RouterThroughputIT: %d records at 2,000/s (first %d s left out), producer send to record "
                + "read, p50 / p99 / max ms:%n", TOTAL, SKIPPED / 2000);
        print("one hop", hop, null);
        print("router (process)", routed, hop);
        print("at-least-once loop", atLeastOnce, hop);
        print("exactly-once loop", exactlyOnce, hop);
    }

    private static void print(String what, List<Long> latencies, List<Long> base) {
        String added = base == null ? "" : String.format(" : adds p50 %.1f, p99 %.1f", ms(latencies, 0.50)
                - ms(base, 0.50), ms(latencies, 0.99) - ms(base, 0.99));
        System.out.printf("RouterThroughputIT:   %-20s %6.1f / %6.1f / %6.1f%s%n", what, ms(latencies, 0.50),
                ms(latencies, 0.99), latencies.get(latencies.size() - 1) / 1e6, added);
    }

    /**
     * Sends {@link #TOTAL} JSON records at 2,000/s to {@code sendTo}, each stamped with its send time, and
     * reads them back from every partition of {@code readFrom} with {@code isolation}; every record must
     * arrive. Returns the latencies past the first {@link #SKIPPED} records (the first sends of each client
     * fetch metadata, a fresh process compiles its hot path), sorted.
     */
    private static List<Long> sendAndRead(String sendTo, String readFrom, String isolation,
            Function<byte[], JsonNode> payloadOf) throws Exception {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(readFrom).stream()
                    .map(info -> new TopicPartition(readFrom, info.partition())).toList();
            reader.assign(partitions);
            reader.seekToEnd(partitions);
            partitions.forEach(reader::position);

            List<Long> latencies = new ArrayList<>();
            Thread producer = new Thread(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < TOTAL; i++) {
                    long due = start + i * 500_000L; // 2,000 records/s
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    Kafka.producer().send(new ProducerRecord<>(sendTo, Kafka.utf8("{\"customer\":\"c" + (i % 100)
                            + "\",\"i\":" + i + ",\"sentAt\":" + System.nanoTime() + "}")));
                }
            });
            producer.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int received = 0;
            while (received < TOTAL && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    var payload = payloadOf.apply(record.value());
                    received++;
                    if (payload.get("i").asInt() >= SKIPPED) {
                        latencies.add(now - payload.get("sentAt").asLong());
                    }
                }
            }
            producer.join();
            assertThat(received).isEqualTo(TOTAL);
            Collections.sort(latencies);
            return latencies;
        }
    }

    /** How many batches, their mean size, and the p50, mean and p99 of their time from first send to commit. */
    private static String batchesSummary(List<long[]> batches) {
        if (batches.isEmpty()) {
            return "no batches";
        }
        List<Long> nanos = batches.stream().map(batch -> batch[1]).sorted().toList();
        return String.format("%d batches of %.1f records, send to commit p50 %.1f ms, mean %.1f ms, p99 %.1f ms",
                batches.size(), batches.stream().mapToLong(batch -> batch[0]).average().orElse(0), ms(nanos, 0.50),
                nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6, ms(nanos, 0.99));
    }

    private static double ms(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(quantile * (sorted.size() - 1)))) / 1e6;
    }
}

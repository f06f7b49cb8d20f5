package dev.tidings.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    static final int TOTAL = 10_000;

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

    @Test
    void atTwoThousandRecordsASecondEveryRecordArrivesAndTheLatencyTheRouterAddsIsPrinted() throws Exception {
        String source = "bench.latency." + id;
        String notifications = "bench-latency-notifications-" + id;
        String direct = "bench.direct." + id;
        Kafka.createTopic(source, 6);
        Kafka.createTopic(direct, 6);
        // The same producer, load and reader on one hop without the router: what the router adds is the rest.
        List<Long> hop = sendAndRead(direct, direct, 6, value -> JSON.readTree(value));
        try (Router router = Kafka.router("""
                routes:
                  - name: latency-%s
                    topic: %s
                    event: order.shipped
                    target: {type: user, ids: "$.customer"}
                    start: earliest
                """.formatted(id, source), notifications, new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Kafka.committed("tidings-router.latency-" + id)
                    .size() == 6);
            List<Long> routed = sendAndRead(source, notifications, 3,
                    value -> JSON.readTree(DECODER.deserialize(notifications, value).getPayload()));
            System.out.printf("RouterThroughputIT: %d records at 2,000/s (first second left out), producer send to "
                    + "record read: one hop p50 %.1f ms, p99 %.1f ms; through the router p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms; the router adds p50 %.1f ms, p99 %.1f ms%n", TOTAL, ms(hop, 0.50), ms(hop, 0.99),
                    ms(routed, 0.50), ms(routed, 0.99), routed.get(routed.size() - 1) / 1e6,
                    ms(routed, 0.50) - ms(hop, 0.50), ms(routed, 0.99) - ms(hop, 0.99));
        }
    }

    /**
     * Sends {@link #TOTAL} JSON records at 2,000/s to {@code sendTo}, each stamped with its send time, and
     * reads them back from {@code readFrom}; every record must arrive. Returns the latencies past the first
     * second (the first sends of each client fetch metadata), sorted.
     */
    private static List<Long> sendAndRead(String sendTo, String readFrom, int partitionsToRead,
            java.util.function.Function<byte[], tools.jackson.databind.JsonNode> payloadOf) throws Exception {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < partitionsToRead; p++) {
                partitions.add(new TopicPartition(readFrom, p));
            }
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
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int received = 0;
            while (received < TOTAL && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    var payload = payloadOf.apply(record.value());
                    received++;
                    if (payload.get("i").asInt() >= 2000) {
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

    private static double ms(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(quantile * (sorted.size() - 1)))) / 1e6;
    }
}

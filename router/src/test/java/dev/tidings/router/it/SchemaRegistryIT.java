package dev.tidings.router.it;

import static dev.tidings.router.decode.ConfluentFrames.framed;
import static dev.tidings.router.it.Kafka.notifications;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.router.engine.DeadLetters;
import dev.tidings.router.engine.Router;
import dev.tidings.schema.Notification;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.SchemaRegistry;
import dev.tidings.testing.SchemaRegistryExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * Avro routes against a live Confluent-compatible schema registry: schemas registered through its
 * REST API as Confluent's serializers register them ({@code <topic>-value} subjects), values framed
 * with the ids it gave.
 */
@ExtendWith({ KafkaBrokerExtension.class, SchemaRegistryExtension.class })
class SchemaRegistryIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String GRADE_V1 = """
            {"type":"record","name":"GradePosted","namespace":"school","fields":[
              {"name":"studentId","type":"string"},
              {"name":"course","type":"string"},
              {"name":"score","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}},
              {"name":"postedAt","type":{"type":"long","logicalType":"timestamp-millis"}}
            ]}""";

    /** Version 2: a new optional field, which Confluent's BACKWARD compatibility accepts. */
    static final String GRADE_V2 = """
            {"type":"record","name":"GradePosted","namespace":"school","fields":[
              {"name":"studentId","type":"string"},
              {"name":"course","type":"string"},
              {"name":"score","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}},
              {"name":"postedAt","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"comment","type":["null","string"],"default":null}
            ]}""";

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String source = "school.grades.avro." + id;
    final String route = "grades-" + id;
    final String notificationsTopic = "router-registry-it-" + id;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void aConfluentFramedRecordIsDecodedThroughTheLiveRegistry(SchemaRegistry registry) throws Exception {
        Kafka.createTopic(source, 1);
        Schema schema = new Schema.Parser().parse(GRADE_V1);
        int schemaId = registry.register(source + "-value", GRADE_V1);
        Kafka.produceBytes(source, List.of(framed(schemaId, grade(schema, "alice", "17.50",
                Instant.parse("2026-12-04T10:15:30.123Z")))));

        try (Router router = router(registry)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !notifications(notificationsTopic).isEmpty());

            ConsumerRecord<String, Notification> written = notifications(notificationsTopic).get(0);
            assertThat(written.key()).isEqualTo("user:alice");
            assertThat(written.value().getEvent()).isEqualTo("grade.posted");
            assertThat(JSON.readValue(written.value().getPayload(), Map.class)).isEqualTo(Map.of(
                    "studentId", "alice",
                    "course", "math",
                    "score", "17.50",
                    "postedAt", "2026-12-04T10:15:30.123Z"));
        }
    }

    @Test
    void idsOfUnknownOrNonAvroSchemasAreDeadLetteredAsUnknownSchemaAndTheRouteGoesOn(SchemaRegistry registry) {
        Kafka.createTopic(source, 1);
        Schema schema = new Schema.Parser().parse(GRADE_V1);
        int schemaId = registry.register(source + "-value", GRADE_V1);
        int jsonSchemaId = registry.register(source + ".json-value", "JSON", """
                {"type":"object","properties":{"studentId":{"type":"string"}}}""");
        int unknownId = 2_000_000_000;
        byte[] unknown = framed(unknownId, grade(schema, "bob", "1.00", Instant.EPOCH));
        Kafka.produceBytes(source, List.of(
                unknown,
                framed(jsonSchemaId, grade(schema, "bob", "1.00", Instant.EPOCH)),
                framed(schemaId, grade(schema, "carol", "2.00", Instant.EPOCH))));

        try (Router router = router(registry)) {
            String deadLetters = "tidings.router." + route + ".dlq";
            await().atMost(Duration.ofSeconds(60)).until(() -> !notifications(notificationsTopic).isEmpty()
                    && Kafka.raw(deadLetters).size() == 2);

            assertThat(notifications(notificationsTopic)).extracting(ConsumerRecord::key).containsExactly("user:carol");
            List<ConsumerRecord<byte[], byte[]>> dead = new java.util.ArrayList<>(Kafka.raw(deadLetters));
            dead.sort(java.util.Comparator.comparingLong(r -> java.nio.ByteBuffer.wrap(
                    r.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong()));
            assertThat(dead).extracting(r -> header(r, DeadLetters.REASON))
                    .containsExactly("unknown-schema", "unknown-schema");
            assertThat(header(dead.get(0), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains(String.valueOf(unknownId));
            assertThat(dead.get(0).value()).as("the record is dead-lettered as it came").isEqualTo(unknown);
            assertThat(header(dead.get(1), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("is JSON, not Avro");
        }
    }

    @Test
    void aSecondSchemaVersionWithANewOptionalFieldIsReadWithEachRecordsOwnWriterSchema(SchemaRegistry registry)
            throws Exception {
        Kafka.createTopic(source, 1);
        String subject = source + "-value";
        registry.setCompatibility(subject, "BACKWARD");
        Schema v1 = new Schema.Parser().parse(GRADE_V1);
        Schema v2 = new Schema.Parser().parse(GRADE_V2);
        int v1Id = registry.register(subject, GRADE_V1);
        Kafka.produceBytes(source, List.of(framed(v1Id, grade(v1, "dave", "3.25", Instant.EPOCH))));

        try (Router router = router(registry)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> notifications(notificationsTopic).size() == 1);
            int v2Id = registry.register(subject, GRADE_V2);
            GenericRecord commented = grade(v2, "erin", "4.50", Instant.parse("2026-12-04T08:00:00Z"));
            commented.put("comment", "well done");
            Kafka.produceBytes(source, List.of(framed(v2Id, commented)));

            await().atMost(Duration.ofSeconds(60)).until(() -> notifications(notificationsTopic).size() == 2);

            assertThat(v2Id).isNotEqualTo(v1Id);
            assertThat(registry.versions(subject)).hasSize(2);
            Map<String, Map<String, Object>> payloads = new java.util.HashMap<>();
            for (ConsumerRecord<String, Notification> written : notifications(notificationsTopic)) {
                payloads.put(written.key(), JSON.readValue(written.value().getPayload(),
                        new tools.jackson.core.type.TypeReference<Map<String, Object>>() { }));
            }
            assertThat(payloads.get("user:dave")).as("written with version 1")
                    .doesNotContainKey("comment").containsEntry("score", "3.25");
            assertThat(payloads.get("user:erin")).as("written with version 2")
                    .containsEntry("comment", "well done").containsEntry("score", "4.50")
                    .containsEntry("postedAt", "2026-12-04T08:00:00Z");
        }
    }

    private Router router(SchemaRegistry registry) {
        return Kafka.router("""
                routes:
                  - name: %s
                    topic: %s
                    format: avro-confluent
                    event: grade.posted
                    target: {type: user, ids: "$.studentId"}
                    start: earliest
                schema-registry:
                  url: %s
                """.formatted(route, source, registry.url()), notificationsTopic, meters);
    }

    static GenericRecord grade(Schema schema, String student, String score, Instant postedAt) {
        GenericRecord grade = new GenericData.Record(schema);
        grade.put("studentId", student);
        grade.put("course", "math");
        grade.put("score", new Conversions.DecimalConversion().toBytes(new BigDecimal(score),
                schema.getField("score").schema(), LogicalTypes.decimal(5, 2)));
        grade.put("postedAt", postedAt.toEpochMilli());
        return grade;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

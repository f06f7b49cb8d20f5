package dev.tidings.router.decode;

import static dev.tidings.router.decode.ConfluentFrames.framed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.router.decode.RouteFailure;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Values framed as Confluent's {@code KafkaAvroSerializer} frames them (byte 0, the 4-byte big-endian
 * schema id, then the Avro binary body of a {@code GenericDatumWriter}), decoded into JSON.
 */
class ConfluentAvroDecoderTest {

    static final Schema GRADE = new Schema.Parser().parse("""
            {"type":"record","name":"GradePosted","namespace":"school","fields":[
              {"name":"eventId","type":{"type":"string","logicalType":"uuid"}},
              {"name":"studentId","type":"string"},
              {"name":"status","type":{"type":"enum","name":"Status","symbols":["DRAFT","FINAL"]}},
              {"name":"score","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}},
              {"name":"postedAt","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"postedAtMicros","type":{"type":"long","logicalType":"timestamp-micros"}},
              {"name":"day","type":{"type":"int","logicalType":"date"}},
              {"name":"comment","type":["null","string"],"default":null},
              {"name":"tags","type":{"type":"array","items":"string"}},
              {"name":"extra","type":{"type":"map","values":"long"}}
            ]}""");

    @Test
    void aConfluentFramedRecordBecomesJsonWithReadableLogicalTypes() throws IOException {
        UUID eventId = UUID.fromString("6f1c1d36-0d0f-4d3b-9a55-3d8f3f1e2a10");
        GenericRecord grade = new GenericData.Record(GRADE);
        grade.put("eventId", eventId.toString());
        grade.put("studentId", "alice");
        grade.put("status", new GenericData.EnumSymbol(GRADE.getField("status").schema(), "FINAL"));
        grade.put("score", new Conversions.DecimalConversion().toBytes(new BigDecimal("17.50"),
                GRADE.getField("score").schema(), LogicalTypes.decimal(5, 2)));
        grade.put("postedAt", Instant.parse("2026-12-04T10:15:30.123Z").toEpochMilli());
        grade.put("postedAtMicros", 1_796_379_330_123_456L);
        grade.put("day", (int) LocalDate.parse("2026-12-04").toEpochDay());
        grade.put("comment", "well done");
        grade.put("tags", List.of("math", "term-1"));
        grade.put("extra", Map.of("attempt", 2L));

        Object json = new ConfluentAvroDecoder(id -> GRADE).decode("school.grades", framed(42, grade));

        assertThat(json).isEqualTo(Map.of(
                "eventId", eventId.toString(),
                "studentId", "alice",
                "status", "FINAL",
                "score", "17.50",
                "postedAt", "2026-12-04T10:15:30.123Z",
                "postedAtMicros", "2026-12-04T10:15:30.123456Z",
                "day", "2026-12-04",
                "comment", "well done",
                "tags", List.of("math", "term-1"),
                "extra", Map.of("attempt", 2L)));
    }

    @Test
    void theSchemaIsLookedUpByTheIdInTheFrame() throws IOException {
        GenericRecord grade = minimal();
        int[] asked = new int[1];

        new ConfluentAvroDecoder(id -> {
            asked[0] = id;
            return GRADE;
        }).decode("t", framed(0x01020304, grade));

        assertThat(asked[0]).isEqualTo(0x01020304);
    }

    @Test
    void aUnionWithoutAValueIsNull() throws IOException {
        GenericRecord grade = minimal();

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) new ConfluentAvroDecoder(id -> GRADE).decode("t",
                framed(1, grade));

        assertThat(json).containsEntry("comment", null);
    }

    @Test
    void valuesWithoutTheMagicByteOrTooShortAreUndecodable() {
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(id -> GRADE);

        assertThat(catchThrowableOfType(RouteFailure.class, () -> decoder.decode("t", "{\"json\":1}".getBytes()))
                .reason()).isEqualTo("undecodable");
        assertThat(catchThrowableOfType(RouteFailure.class, () -> decoder.decode("t", new byte[] { 0, 0, 0 }))
                .reason()).isEqualTo("undecodable");
        assertThat(catchThrowableOfType(RouteFailure.class, () -> decoder.decode("t", null)).reason())
                .isEqualTo("undecodable");
    }

    @Test
    void aTruncatedBodyIsUndecodable() throws IOException {
        byte[] whole = framed(1, minimal());
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 6);

        RouteFailure failure = catchThrowableOfType(RouteFailure.class,
                () -> new ConfluentAvroDecoder(id -> GRADE).decode("t", cut));

        assertThat(failure.reason()).isEqualTo("undecodable");
    }

    @Test
    void anUnknownSchemaIdIsTheRegistrysRouteFailure() throws IOException {
        byte[] value = framed(7, minimal());

        RouteFailure failure = catchThrowableOfType(RouteFailure.class, () -> new ConfluentAvroDecoder(id -> {
            throw new RouteFailure("unknown-schema", "no schema " + id);
        }).decode("t", value));

        assertThat(failure.reason()).isEqualTo("unknown-schema");
    }

    static GenericRecord minimal() {
        GenericRecord grade = new GenericData.Record(GRADE);
        grade.put("eventId", UUID.randomUUID().toString());
        grade.put("studentId", "bob");
        grade.put("status", new GenericData.EnumSymbol(GRADE.getField("status").schema(), "DRAFT"));
        grade.put("score", ByteBuffer.wrap(new byte[] { 0 }));
        grade.put("postedAt", 0L);
        grade.put("postedAtMicros", 0L);
        grade.put("day", 0);
        grade.put("comment", null);
        grade.put("tags", List.of());
        grade.put("extra", Map.of());
        return grade;
    }
}

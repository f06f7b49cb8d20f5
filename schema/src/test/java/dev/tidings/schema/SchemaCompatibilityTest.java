package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {

    private final List<Schema> history = NotificationCodec.historicalSchemas();

    @Test
    void latestHistoricalSchemaIsTheOneTheClassesAreGeneratedFrom() {
        assertThat(SchemaNormalization.toParsingForm(history.get(history.size() - 1)))
                .as("src/main/avro/Notification.avsc changed without a new history/notification-vN.avsc")
                .isEqualTo(SchemaNormalization.toParsingForm(Notification.getClassSchema()));
    }

    @Test
    void everySchemaVersionIsBackwardCompatibleWithThePreviousOne() {
        assertThat(history).hasSizeGreaterThanOrEqualTo(2);
        for (int v = 1; v < history.size(); v++) {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(history.get(v), history.get(v - 1));
            assertThat(result.getType())
                    .as("v%d must read v%d records: %s", v + 1, v, result.getDescription())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void everySchemaVersionIsForwardCompatibleWithThePreviousOne() {
        for (int v = 1; v < history.size(); v++) {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(history.get(v - 1), history.get(v));
            assertThat(result.getType())
                    .as("v%d must read v%d records: %s", v, v + 1, result.getDescription())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void theCheckRejectsAFieldAddedWithoutDefault() {
        Schema current = Notification.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("tenant", Schema.create(Schema.Type.STRING), "no default", (Object) null));
        Schema breaking = Schema.createRecord("Notification", null, "dev.tidings.schema", false, fields);
        assertThat(breaking.getField("tenant")).as("the test must really add a field").isNotNull();

        var result = SchemaCompatibility.checkReaderWriterCompatibility(breaking, current);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }
}

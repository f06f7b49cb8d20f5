package dev.tidings.publisher.openapi;

import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.models.media.Schema;

/**
 * Small builders for hand-written schemas. Each sets both the OpenAPI 3.0 {@code type} and the
 * 3.1 {@code types}, so a schema serializes correctly whichever version springdoc writes
 * ({@code springdoc.api-docs.version}).
 */
final class Schemas {

    static final String REF = "#/components/schemas/";

    private Schemas() {
    }

    static Schema<Object> typed(String type, String description) {
        Schema<Object> schema = new Schema<>();
        schema.type(type);
        schema.types(Set.of(type));
        schema.description(description);
        return schema;
    }

    static Schema<Object> object(String description) {
        return typed("object", description);
    }

    static Schema<Object> string(String description) {
        return typed("string", description);
    }

    static Schema<Object> integer(String description, String format) {
        return typed("integer", description).format(format);
    }

    static Schema<Object> bool(String description) {
        return typed("boolean", description);
    }

    static Schema<Object> instant(String description) {
        return string(description).format("date-time");
    }

    static Schema<Object> arrayOf(Schema<?> items, String description) {
        Schema<Object> schema = typed("array", description);
        schema.setItems(items);
        return schema;
    }

    static Schema<Object> ref(String component) {
        return new Schema<>().$ref(REF + component);
    }

    static Schema<Object> enumOf(String description, List<String> values) {
        Schema<Object> schema = string(description);
        values.forEach(schema::addEnumItemObject);
        return schema;
    }
}

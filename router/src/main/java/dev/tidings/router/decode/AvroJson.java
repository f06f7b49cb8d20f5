package dev.tidings.router.decode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.jspecify.annotations.Nullable;

/**
 * Turns a generic Avro datum into JSON as Java objects, for JSONPath: records and maps are objects,
 * arrays are arrays, enums their symbol, a union its branch's value (no {@code {"type": value}}
 * wrapper, so {@code $.field} reads it), bytes and fixed base64 text; logical types are readable:
 * {@code timestamp-*} ISO-8601 instants ({@code local-timestamp-*} without offset), {@code date} ISO
 * dates, {@code time-*} ISO times, {@code decimal} a plain decimal string (exact), {@code uuid} text;
 * non-finite floats are strings ({@code "NaN"}).
 */
public final class AvroJson {

    private AvroJson() {
    }

    /** The JSON view of {@code datum}, written with {@code schema}. */
    public static @Nullable Object toJson(@Nullable Object datum, Schema schema) {
        if (datum == null) {
            return null;
        }
        LogicalType logical = schema.getLogicalType();
        if (logical != null) {
            Object readable = logical(datum, schema, logical);
            if (readable != null) {
                return readable;
            }
        }
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord record = (IndexedRecord) datum;
                Map<String, Object> out = new LinkedHashMap<>();
                for (Schema.Field field : schema.getFields()) {
                    out.put(field.name(), toJson(record.get(field.pos()), field.schema()));
                }
                return out;
            }
            case UNION:
                return toJson(datum, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)));
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                for (Object item : (Iterable<?>) datum) {
                    out.add(toJson(item, schema.getElementType()));
                }
                return out;
            }
            case MAP: {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) datum).forEach((key, value) -> out.put(key.toString(), toJson(value, schema.getValueType())));
                return out;
            }
            case ENUM:
                return datum instanceof GenericEnumSymbol<?> symbol ? symbol.toString() : datum.toString();
            case STRING:
                return datum.toString();
            case BYTES:
                return Base64.getEncoder().encodeToString(bytes((ByteBuffer) datum));
            case FIXED:
                return Base64.getEncoder().encodeToString(((GenericFixed) datum).bytes());
            case FLOAT:
            case DOUBLE: {
                double value = ((Number) datum).doubleValue();
                return Double.isFinite(value) ? datum : datum.toString();
            }
            default:
                return datum;
        }
    }

    private static @Nullable Object logical(Object datum, Schema schema, LogicalType logical) {
        if (logical instanceof LogicalTypes.Decimal decimal) {
            byte[] unscaled = datum instanceof ByteBuffer buffer ? bytes(buffer) : ((GenericFixed) datum).bytes();
            return new BigDecimal(new BigInteger(unscaled), decimal.getScale()).toPlainString();
        }
        if (!(datum instanceof Number number)) {
            return null;
        }
        long value = number.longValue();
        return switch (logical.getName()) {
            case "timestamp-millis" -> Instant.ofEpochMilli(value).toString();
            case "timestamp-micros" -> micros(value).toString();
            case "timestamp-nanos" -> nanos(value).toString();
            case "local-timestamp-millis" -> Instant.ofEpochMilli(value).atOffset(ZoneOffset.UTC).toLocalDateTime()
                    .toString();
            case "local-timestamp-micros" -> micros(value).atOffset(ZoneOffset.UTC).toLocalDateTime().toString();
            case "local-timestamp-nanos" -> nanos(value).atOffset(ZoneOffset.UTC).toLocalDateTime().toString();
            case "date" -> LocalDate.ofEpochDay(value).toString();
            case "time-millis" -> LocalTime.ofNanoOfDay(value * 1_000_000L).toString();
            case "time-micros" -> LocalTime.ofNanoOfDay(value * 1_000L).toString();
            default -> null;
        };
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static Instant nanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}

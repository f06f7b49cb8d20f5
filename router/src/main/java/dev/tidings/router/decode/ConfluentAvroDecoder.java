package dev.tidings.router.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import dev.tidings.router.decode.RouteFailure;
import dev.tidings.router.decode.ValueDecoder;
import dev.tidings.schema.NotificationCodec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decodes values framed by Confluent's Avro serializer (byte {@code 0}, the writer schema's 4-byte
 * big-endian registry id, the Avro binary body) with the writer schema from the registry, into JSON
 * by {@link AvroJson}. Avro's allocation limits ({@link NotificationCodec}) apply.
 *
 * <p>Not thread-safe: one instance per route thread.
 */
public final class ConfluentAvroDecoder implements ValueDecoder {

    /** The first byte of every value Confluent's serializers frame. */
    public static final byte MAGIC = 0;

    static {
        // Avro's allocation limits are set by NotificationCodec's initialisation, before any decoding.
        NotificationCodec.get();
    }

    private final IntFunction<Schema> schemas;
    private final Map<Integer, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();
    private @Nullable BinaryDecoder reuse;

    /**
     * @param schemas the writer schema of a registry id ({@link SchemaRegistryClient#schema}); throws
     *     {@link RouteFailure} for an unknown id and {@link dev.tidings.router.decode.SourceUnavailableException}
     *     while the registry cannot answer
     */
    public ConfluentAvroDecoder(IntFunction<Schema> schemas) {
        this.schemas = schemas;
    }

    @Override
    public @Nullable Object decode(String topic, byte @Nullable [] value) {
        if (value == null) {
            throw new RouteFailure("undecodable", "the record has no value (a tombstone)");
        }
        if (value.length < 5 || value[0] != MAGIC) {
            throw new RouteFailure("undecodable", "not Confluent-framed Avro: the value does not start with byte 0 "
                    + "and a 4-byte schema id");
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        Schema schema = schemas.apply(id);
        GenericDatumReader<Object> reader = readers.computeIfAbsent(id, any -> new GenericDatumReader<>(schema));
        Object datum;
        try {
            reuse = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, reuse);
            datum = reader.read(null, reuse);
        }
        catch (IOException | RuntimeException ex) {
            throw new RouteFailure("undecodable", "corrupt Avro body for schema " + id + ": " + ex, ex);
        }
        return AvroJson.toJson(datum, schema);
    }
}

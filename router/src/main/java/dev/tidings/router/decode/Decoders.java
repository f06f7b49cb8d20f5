package dev.tidings.router.decode;

import dev.tidings.router.decode.ConfluentAvroDecoder;
import dev.tidings.router.decode.SchemaRegistryClient;
import dev.tidings.router.routes.Format;
import dev.tidings.router.routes.SchemaRegistrySettings;
import org.jspecify.annotations.Nullable;

/** The value decoder of each format; one registry client (and schema cache) for every Avro route. */
public final class Decoders implements AutoCloseable {

    private final @Nullable SchemaRegistryClient registry;

    public Decoders(@Nullable SchemaRegistrySettings registry) {
        this.registry = registry == null ? null : new SchemaRegistryClient(registry);
    }

    /** A new decoder for one route's thread. */
    public ValueDecoder of(Format format) {
        return switch (format) {
            case JSON -> new JsonValueDecoder();
            case AVRO_TIDINGS -> new TidingsAvroDecoder();
            case AVRO_CONFLUENT -> {
                if (registry == null) {
                    throw new IllegalStateException("an avro-confluent route needs a schema-registry");
                }
                yield new ConfluentAvroDecoder(registry::schema);
            }
        };
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}

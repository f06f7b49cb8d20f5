package dev.tidings.router.engine;

import dev.tidings.router.avro.ConfluentAvroDecoder;
import dev.tidings.router.avro.SchemaRegistryClient;
import dev.tidings.router.routes.Format;
import dev.tidings.router.routes.SchemaRegistrySettings;
import org.jspecify.annotations.Nullable;

/** The value decoder of each format; one registry client (and schema cache) for every Avro route. */
final class Decoders implements AutoCloseable {

    private final @Nullable SchemaRegistryClient registry;

    Decoders(@Nullable SchemaRegistrySettings registry) {
        this.registry = registry == null ? null : new SchemaRegistryClient(registry);
    }

    /** A new decoder for one route's thread. */
    ValueDecoder of(Format format) {
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

package dev.tidings.testing;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that gives tests a real Confluent-compatible schema registry, in this order of
 * preference:
 * <ol>
 *   <li>{@code SCHEMA_REGISTRY_URL} when set: an existing registry's Confluent API base URL;</li>
 *   <li>otherwise a {@link SchemaRegistryProcess}, started on a free loopback port.</li>
 * </ol>
 * One registry serves every test class of the JVM and is stopped when the JVM's test run ends.
 * Test classes use {@link #url()} or declare a {@link SchemaRegistry} parameter. Subjects outlive a
 * test: tests name theirs after something unique (a random topic name).
 *
 * <p>Thread-safe: the registry is created once, under this class's lock.
 */
public final class SchemaRegistryExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryExtension.class);

    private static volatile @Nullable SchemaRegistry registry;

    /** The shared registry's Confluent API base URL; starts it on first use. */
    public static String url() {
        return registry().url();
    }

    /** The shared registry; starts it on first use. */
    public static synchronized SchemaRegistry registry() {
        if (registry == null) {
            registry = start();
        }
        return registry;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        registry();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SchemaRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return registry();
    }

    private static SchemaRegistry start() {
        String fromEnv = System.getenv("SCHEMA_REGISTRY_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            String url = fromEnv.endsWith("/") ? fromEnv.substring(0, fromEnv.length() - 1) : fromEnv;
            log.info("Tests use the schema registry at SCHEMA_REGISTRY_URL={}", url);
            return new SchemaRegistry(url, "SCHEMA_REGISTRY_URL");
        }
        long started = System.nanoTime();
        SchemaRegistryProcess process = SchemaRegistryProcess.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "schema-registry-stop"));
        log.info("Tests use a schema registry process at {} (answered after {} ms)", process.url(),
                (System.nanoTime() - started) / 1_000_000);
        return process.registry();
    }
}

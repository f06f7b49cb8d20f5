package dev.tidings.testing;

import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * JUnit 5 extension that gives tests a real Kafka broker, in this order of preference:
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} when set (an existing cluster);</li>
 *   <li>with {@code -Dtidings.test.broker-process=true}, a single-node KRaft broker in its own OS
 *       process, as {@code ./tidings up} runs one ({@link KafkaBrokerProcess}): for tests that time
 *       their own clients, whom the broker's threads and collections must not share a JVM with;</li>
 *   <li>Testcontainers' Kafka when a Docker engine answers;</li>
 *   <li>otherwise an embedded single-node KRaft broker (spring-kafka-test).</li>
 * </ol>
 * One broker serves every test class of the JVM and is stopped when the JVM's test run ends.
 * Test classes use {@link #bootstrapServers()} or declare a {@link KafkaBroker} parameter.
 *
 * <p>Thread-safe: the broker is created once under the root store's lock.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);

    private static volatile KafkaBroker broker;

    /** Bootstrap servers of the shared broker; starts it on first use. */
    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** The shared broker; starts it on first use. */
    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            broker = start();
        }
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KafkaBrokerExtension.class, key -> new Holder(broker()), Holder.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker();
    }

    private static KafkaBroker start() {
        String fromEnv = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            log.info("Tests use the Kafka cluster at KAFKA_BOOTSTRAP_SERVERS={}", fromEnv);
            return new KafkaBroker(fromEnv, "KAFKA_BOOTSTRAP_SERVERS");
        }
        if (Boolean.getBoolean("tidings.test.broker-process")) {
            KafkaBrokerProcess process = KafkaBrokerProcess.start(KafkaBrokerProcess.AS_TIDINGS_UP);
            Runtime.getRuntime().addShutdownHook(new Thread(process::close, "kafka-process-stop"));
            log.info("Tests use a KRaft broker process at {}", process.bootstrapServers());
            return new KafkaBroker(process.bootstrapServers(), "process");
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer("apache/kafka-native:4.1.2");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
            log.info("Tests use a Testcontainers Kafka broker at {}", container.getBootstrapServers());
            return new KafkaBroker(container.getBootstrapServers(), "testcontainers");
        }
        EmbeddedKafkaKraftBroker embedded = new EmbeddedKafkaKraftBroker(1, 6);
        embedded.brokerProperties(Map.of(
                "auto.create.topics.enable", "false",
                "group.initial.rebalance.delay.ms", "0",
                // One broker: the transaction log's defaults (3 replicas, 2 in sync) would never let a
                // transactional producer start.
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "log.flush.interval.messages", String.valueOf(Long.MAX_VALUE),
                // In the tests' own heap: Kafka's default key map would take 128 MiB of it.
                "log.cleaner.dedupe.buffer.size", KafkaBrokerProcess.CLEANER_KEY_MAP_BYTES));
        embedded.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::destroy, "embedded-kafka-stop"));
        log.info("Tests use an embedded KRaft broker at {}", embedded.getBrokersAsString());
        return new KafkaBroker(embedded.getBrokersAsString(), "embedded-kraft");
    }

    private static boolean dockerAvailable() {
        if ("false".equalsIgnoreCase(System.getenv("TIDINGS_TEST_DOCKER"))) {
            return false;
        }
        // Ask Testcontainers only where an engine could be: it logs an ERROR for every miss.
        boolean socket = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        if (!socket && System.getenv("DOCKER_HOST") == null) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError ex) {
            return false;
        }
    }

    /** Admin client settings for the shared broker. */
    public static Map<String, Object> adminConfig() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    private record Holder(KafkaBroker broker) {
    }
}

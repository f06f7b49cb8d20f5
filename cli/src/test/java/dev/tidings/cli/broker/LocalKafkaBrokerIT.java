package dev.tidings.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.tidings.cli.process.Ports;
import dev.tidings.cli.workspace.Workspace;

/**
 * Starts the broker exactly as {@code tidings up} does (classpath from {@code cli/broker/pom.xml}
 * through {@code ./mvnw}, format, own OS process), round-trips a record with kafka-clients, and
 * stops it.
 */
class LocalKafkaBrokerIT {

    @TempDir
    Path state;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void startsARealBrokerThatRoundTripsARecordAndStopsWithoutLeavingAProcess() throws Exception {
        Path home = Path.of(System.getProperty(Workspace.HOME_PROPERTY, "..")).toAbsolutePath().normalize();
        Workspace workspace = new Workspace(home, state, name -> null);
        List<Path> classpath = BrokerClasspath.resolve(workspace, new PrintWriter(new StringWriter()));
        int port = Ports.freePort();
        Path logFile = state.resolve("logs").resolve("kafka.log");
        LocalKafkaBroker.Settings settings = new LocalKafkaBroker.Settings(port, state.resolve("kafka"),
                state.resolve("kafka-config"), logFile, Duration.ofSeconds(40),
                List.of(LocalKafkaBroker.DEFAULT_JVM_OPTIONS.split(" ")));

        long pid;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(settings, classpath, workspace.javaExecutable())) {
            pid = broker.process().pid();
            String commandLine = ProcessHandle.of(pid).flatMap(handle -> handle.info().commandLine()).orElse("");
            assertThat(commandLine).as("the broker is its own OS process, marked for ps")
                    .contains("-Dtidings.service=kafka", "kafka.Kafka");
            assertThat(commandLine).as("on the JVM options it was given").contains(settings.jvmOptions());
            assertThat(LocalKafkaBroker.isFormatted(settings.dataDir())).isTrue();
            assertThat(Files.readString(settings.configDir().resolve("server.properties")))
                    .contains("listeners=PLAINTEXT://127.0.0.1:" + port);

            roundTrip(broker.bootstrapServers());
        }

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("broker process %d is gone", pid).isFalse();
        assertThat(Ports.acceptsConnections(port, 500)).as("port %d is closed", port).isFalse();
        assertThat(Files.readString(logFile)).as("WARN-level log, no ERROR").doesNotContain(" ERROR ");
    }

    private static void roundTrip(String bootstrap) throws Exception {
        String topic = "tidings.it";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer())) {
            written = producer.send(new ProducerRecord<>(topic, "group:Class:201901", "{\"grade\":\"A\"}"))
                    .get(20, TimeUnit.SECONDS);
        }
        assertThat(written.offset()).isZero();

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "tidings-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                assertThat(received).hasSize(1);
            });
        }
        assertThat(received.get(0).key()).isEqualTo("group:Class:201901");
        assertThat(received.get(0).value()).isEqualTo("{\"grade\":\"A\"}");
    }
}

package dev.tidings.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker in its own OS process (this JVM's class path, which holds the
 * broker), with a data directory that outlives the process: a test can stop it with SIGTERM and
 * start it again on the same port with every acknowledged record still there, as an operator
 * restarting a broker would. As a process of its own, its threads and garbage collections stay out
 * of the test's JVM, which is what a test timing its own clients needs.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** A small broker for tests that stop and start it: 384 MiB, the serial collector. */
    public static final List<String> SMALL = List.of("-Xmx384m", "-XX:+UseSerialGC");

    /**
     * The log cleaner's key map, as {@code ./tidings up}'s broker has it: the cleaner allocates it whole on the heap
     * when it starts, and Kafka's default of 128 MiB is a third of a {@link #SMALL} broker's heap.
     */
    static final String CLEANER_KEY_MAP_BYTES = String.valueOf(16 * 1024 * 1024);

    /** The broker's JVM as {@code ./tidings up} runs it: 512 MiB, G1 with 20 ms pause goals. */
    public static final List<String> AS_TIDINGS_UP = List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20", "-XX:+ExitOnOutOfMemoryError");

    private final Path dir;
    private final Path properties;
    private final Path log;
    private final int port;
    private final List<String> jvmOptions;
    private Process process;

    private KafkaBrokerProcess(Path dir, int port, int controllerPort, List<String> jvmOptions) throws IOException {
        this.dir = dir;
        this.port = port;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.properties = dir.resolve("server.properties");
        this.log = dir.resolve("broker.log");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.cleaner.dedupe.buffer.size=" + CLEANER_KEY_MAP_BYTES,
                ""));
    }

    /** Formats a fresh data directory and starts a {@link #SMALL} broker; returns once it answers. */
    public static KafkaBrokerProcess start() {
        return start(SMALL);
    }

    /** Formats a fresh data directory and starts the broker with these JVM options; returns once it answers. */
    public static KafkaBrokerProcess start(List<String> jvmOptions) {
        try {
            KafkaBrokerProcess broker = new KafkaBrokerProcess(Files.createTempDirectory("tidings-broker-"),
                    freePort(), freePort(), jvmOptions);
            broker.format();
            broker.launch();
            return broker;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGTERM (a controlled shutdown) and waits until the process is gone. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the stopped broker again on the same port and data; returns once it answers. */
    public void restart() {
        launch();
    }

    private void format() {
        List<String> command = java("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", properties.toString());
        try {
            Process format = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("format.log").toFile()).start();
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new AssertionError("formatting the broker's storage failed:\n"
                        + Files.readString(dir.resolve("format.log")));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private void launch() {
        try {
            process = new ProcessBuilder(java("kafka.Kafka", properties.toString())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("broker process died:\n" + Files.readString(log));
            }
            return answers();
        });
    }

    private boolean answers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
            return true;
        }
        catch (Exception ex) {
            return false;
        }
    }

    private List<String> java(String mainClass, String... args) {
        return JavaCommand.of(jvmOptions, mainClass, List.of(args));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a temp directory; the OS cleans it eventually
        }
    }
}

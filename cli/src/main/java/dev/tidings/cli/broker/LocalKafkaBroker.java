package dev.tidings.cli.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tidings.cli.process.ChildProcess;
import dev.tidings.cli.process.LogTail;
import dev.tidings.cli.process.Ports;
import dev.tidings.cli.workspace.CliException;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) in its own OS process:
 * writes its configuration, formats its data directory the first time, starts it and waits until it
 * answers requests.
 *
 * <p>Not thread-safe: one thread starts it; {@link #close()} may come from a shutdown hook once.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** The process name in logs, {@code ps} and messages. */
    public static final String NAME = "kafka";

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** The broker's JVM options unless others are given (space-separated): heap and collector. */
    public static final String DEFAULT_JVM_OPTIONS =
            "-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError";

    private final Settings settings;
    private final ChildProcess process;

    /**
     * Where and how the broker runs.
     *
     * @param port the client (PLAINTEXT) port on 127.0.0.1
     * @param dataDir the log directory, formatted once
     * @param configDir where {@code server.properties} and {@code log4j2.properties} are written
     * @param logFile WARN-level log and the JVM's own output
     * @param startTimeout how long {@link #awaitReady()} waits
     * @param jvmOptions the broker JVM's options, e.g. {@link #DEFAULT_JVM_OPTIONS} split at spaces
     */
    public record Settings(int port, Path dataDir, Path configDir, Path logFile, Duration startTimeout,
            List<String> jvmOptions) {
    }

    private LocalKafkaBroker(Settings settings, ChildProcess process) {
        this.settings = settings;
        this.process = process;
    }

    /** Formats the data directory if needed and starts the broker process, without waiting for it. */
    public static LocalKafkaBroker launch(Settings settings, List<Path> classpath, Path java) {
        int controllerPort = Ports.freePort();
        Path serverProperties = settings.configDir().resolve("server.properties");
        Path log4j2 = settings.configDir().resolve("log4j2.properties");
        try {
            Files.createDirectories(settings.configDir());
            Files.createDirectories(settings.dataDir());
            Files.writeString(serverProperties, BrokerConfigFiles.render(
                    BrokerConfigFiles.serverProperties(settings.port(), controllerPort, settings.dataDir())),
                    StandardCharsets.UTF_8);
            Files.writeString(log4j2, BrokerConfigFiles.log4j2Properties(settings.logFile()), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot write the broker's configuration in " + settings.configDir(), ex);
        }
        List<String> jvmOptions = new ArrayList<>(settings.jvmOptions());
        jvmOptions.add("-Djava.awt.headless=true");
        jvmOptions.add("-Dlog4j2.configurationFile=" + log4j2.toAbsolutePath());
        // Through the environment: ~45 jars on the command line would drown it in ps.
        Map<String, String> environment = Map.of("CLASSPATH", BrokerClasspath.join(classpath));
        if (!isFormatted(settings.dataDir())) {
            format(settings, java, jvmOptions, environment, serverProperties);
        }
        ChildProcess process = ChildProcess.startJava(NAME, java, jvmOptions,
                List.of("kafka.Kafka", serverProperties.toAbsolutePath().toString()), environment, settings.logFile());
        return new LocalKafkaBroker(settings, process);
    }

    /** {@link #launch} then {@link #awaitReady()}; stops the process if it does not become ready. */
    public static LocalKafkaBroker start(Settings settings, List<Path> classpath, Path java) {
        LocalKafkaBroker broker = launch(settings, classpath, java);
        try {
            broker.awaitReady();
            return broker;
        }
        catch (RuntimeException failed) {
            broker.close();
            throw failed;
        }
    }

    /**
     * Waits until the broker answers an {@code ApiVersions} request; fails with the log's tail if the
     * process exits or the start timeout passes.
     */
    public void awaitReady() {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        try {
            while (!KafkaProbe.servesRequests(Ports.LOOPBACK, settings.port(), 1000)) {
                if (process.awaitExit(Duration.ofMillis(250))) {
                    throw new CliException("the Kafka broker exited during start-up ("
                            + ChildProcess.describeExit(process.exitCode()) + ")" + System.lineSeparator()
                            + LogTail.render(settings.logFile(), 25));
                }
                if (System.nanoTime() > deadline) {
                    throw new CliException("the Kafka broker did not answer on 127.0.0.1:" + settings.port()
                            + " within " + settings.startTimeout().toSeconds() + " s" + System.lineSeparator()
                            + LogTail.render(settings.logFile(), 25));
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the Kafka broker");
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + settings.port();
    }

    public ChildProcess process() {
        return process;
    }

    /** Stops the broker: SIGTERM (a controlled shutdown), SIGKILL past the grace period. */
    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }

    /** Whether the data directory was already formatted (KRaft writes {@code meta.properties} there). */
    static boolean isFormatted(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve("meta.properties"));
    }

    /** A random KRaft cluster id: 16 bytes, base64url without padding, never starting with '-'. */
    static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        while (id.startsWith("-"));
        return id;
    }

    private static void format(Settings settings, Path java, List<String> jvmOptions, Map<String, String> environment,
            Path serverProperties) {
        Path formatLog = settings.configDir().resolve("format.log");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "-t", newClusterId(), "-c", serverProperties.toAbsolutePath().toString()));
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(formatLog.toFile());
            builder.environment().putAll(environment);
            Process storageTool = builder.start();
            if (!storageTool.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                storageTool.destroyForcibly();
                throw new CliException("formatting " + settings.dataDir() + " took over "
                        + FORMAT_TIMEOUT.toSeconds() + " s" + System.lineSeparator() + LogTail.render(formatLog, 20));
            }
            if (storageTool.exitValue() != 0) {
                throw new CliException("cannot format the Kafka data directory " + settings.dataDir()
                        + System.lineSeparator() + LogTail.render(formatLog, 20));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot run " + java, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while formatting " + settings.dataDir());
        }
    }
}

package dev.tidings.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A Confluent-compatible schema registry as a child JVM on a loopback port: the runnable registry
 * that the {@code tidings-schema-registry} module builds (Apicurio Registry, schemas kept in memory),
 * found in the directory that the system property {@value #HOME_PROPERTY} names. The router and
 * e2e-tests builds unpack it there and set the property for their integration tests; without the
 * property (a test run from an IDE) it is the module's own {@code test-support/schema-registry/target}
 * of the checkout the working directory is in, once that module is built.
 *
 * <p>{@link SchemaRegistryExtension} shares one for every test class of a JVM; a test that kills a
 * registry ({@link #kill()}) starts its own. Its schemas live in memory and die with it.
 *
 * <p>Not thread-safe: one test drives it.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    /** The system property naming the directory of the runner jar and its {@code lib/}. */
    public static final String HOME_PROPERTY = "tidings.schema-registry.home";

    /** The path of the Confluent-compatible API under the registry's root URL. */
    public static final String CONFLUENT_API = "/apis/ccompat/v7";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path runner;
    private final int port;
    private final Path log;
    private @Nullable Process process;

    private SchemaRegistryProcess(Path runner, int port, Path log) {
        this.runner = runner;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a registry on a free loopback port and returns once its Confluent API answers.
     *
     * @throws IllegalStateException when {@value #HOME_PROPERTY} names no runnable registry
     * @throws AssertionError when the registry exits or does not answer within two minutes, with its log
     */
    public static SchemaRegistryProcess start() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            SchemaRegistryProcess registry = new SchemaRegistryProcess(runner(),
                    port, Files.createTempFile("schema-registry-" + port + "-", ".log"));
            registry.launch();
            return registry;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** This registry as tests address it. */
    public SchemaRegistry registry() {
        return new SchemaRegistry(url(), "child process on port " + port);
    }

    /** The Confluent API's base URL, for example {@code http://127.0.0.1:40123/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_API;
    }

    /** SIGKILL: the registry ends at once, as a crashed one does; its port refuses connections. */
    public void kill() {
        if (process != null) {
            try {
                process.destroyForcibly().waitFor();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Stops the registry: gracefully, forcibly after ten seconds. */
    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** The registry's console output so far. */
    public String log() {
        try {
            return Files.readString(log);
        }
        catch (IOException ex) {
            return "(no log: " + ex + ")";
        }
    }

    private void launch() {
        List<String> command = List.of(
                JavaCommand.launcher().toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-jar", runner.toString());
        Process started;
        try {
            started = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + command, ex);
        }
        process = started;
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!started.isAlive()) {
                    throw new AssertionError("the schema registry exited with " + started.exitValue() + ":\n" + log());
                }
                return answers();
            });
        }
        catch (ConditionTimeoutException ex) {
            close();
            throw new AssertionError("the schema registry did not answer on port " + port + " within "
                    + START_TIMEOUT + ":\n" + log(), ex);
        }
    }

    private boolean answers() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path runner() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            Path built = builtInCheckout();
            if (built == null) {
                throw new IllegalStateException("No schema registry to start: set the system property " + HOME_PROPERTY
                        + " to the unpacked tidings-schema-registry dist (the router and e2e-tests builds do), build"
                        + " test-support/schema-registry, or set SCHEMA_REGISTRY_URL to a running registry's"
                        + " Confluent API");
            }
            return built;
        }
        Path runner = runnerIn(Path.of(home));
        if (runner == null) {
            throw new IllegalStateException("No *-runner.jar in " + HOME_PROPERTY + "=" + home
                    + ": build the tidings-schema-registry module");
        }
        return runner;
    }

    /** The runner jar of {@code test-support/schema-registry/target} in the working directory or above. */
    private static @Nullable Path builtInCheckout() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("test-support").resolve("schema-registry").resolve("target");
            if (Files.isDirectory(target)) {
                return runnerIn(target);
            }
        }
        return null;
    }

    private static @Nullable Path runnerIn(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner.jar")).findFirst().orElse(null);
        }
        catch (IOException ex) {
            throw new IllegalStateException(directory + " is not a readable directory", ex);
        }
    }
}

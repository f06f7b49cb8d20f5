package dev.tidings.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tidings.testing.JavaCommand;

/**
 * A gateway node as its own OS process (this test JVM's class path), so a test can kill it
 * abruptly — SIGKILL, no graceful close, no offset commit — as a crashed node would die.
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static GatewayProcess start(Map<String, String> properties) {
        return start(properties, "512m");
    }

    /** {@link #start(Map)} with the given maximum heap ({@code -Xmx}); the process exits on OutOfMemoryError. */
    static GatewayProcess start(Map<String, String> properties, String heap) {
        try {
            int port = freePort();
            Path log = Files.createTempFile("gateway-" + port + "-", ".log");
            List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"));
            options.addAll(jvmOptions());
            List<String> command = JavaCommand.of(options, "dev.tidings.gateway.GatewayApplication",
                    List.of("--server.port=" + port, "--spring.main.banner-mode=off",
                            "--management.server.port=" + port, "--tidings.gateway.allowed-origins=*"));
            Map<String, String> settings = new LinkedHashMap<>(properties);
            // Tests that do not measure a fresh node's first seconds do not wait for its JIT warm-up.
            settings.putIfAbsent("tidings.gateway.warm-up.duration", "0s");
            settings.forEach((k, v) -> command.add("--" + k + "=" + v));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            GatewayProcess gateway = new GatewayProcess(process, port, log);
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("gateway process died:\n" + Files.readString(log));
                }
                return gateway.healthUp();
            });
            return gateway;
        }
        catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    /**
     * JVM options of the process past its heap: {@code -Dtidings.gateway-process.jvm-options} (split on
     * spaces; empty runs the JVM's defaults, as {@code ./tidings up} runs a node), C1 only by default so
     * that the short-lived nodes of a test start fast.
     */
    private static List<String> jvmOptions() {
        String options = System.getProperty("tidings.gateway-process.jvm-options", "-XX:TieredStopAtLevel=1").strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    int port() {
        return port;
    }

    /** Whether the process is still running (it exits on OutOfMemoryError). */
    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the node dies without closing sessions or committing offsets. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM, as an orchestrator stops a node, and waits for the process to exit.
     *
     * @return the exit code
     * @throws AssertionError if it is still running after {@code timeout}
     */
    int terminate(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError("gateway still running " + timeout + " after SIGTERM:\n" + log());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
        return process.exitValue();
    }

    /** The process's output so far. */
    String log() {
        try {
            return Files.readString(log);
        }
        catch (IOException ex) {
            return "(log unreadable: " + ex + ")";
        }
    }

    private boolean healthUp() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        new File(log.toString()).delete();
    }
}

package dev.tidings.router.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.tidings.testing.JavaCommand;

/**
 * A router as its own OS process (this test JVM's class path), so a test can kill it abruptly —
 * SIGKILL, no graceful close, no last commit — as a crashed instance dies.
 */
final class RouterProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private RouterProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A router with a small heap and the C1 compiler only: quick to start, for tests of what it does. */
    static RouterProcess start(Map<String, String> properties) {
        return start(properties, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    }

    /** A router started with {@code jvmOptions}, e.g. those {@code ./tidings up} gives it, for a test of how fast it is. */
    static RouterProcess start(Map<String, String> properties, List<String> jvmOptions) {
        try {
            int port = freePort();
            Path log = Files.createTempFile("router-" + port + "-", ".log");
            List<String> command = JavaCommand.of(jvmOptions, "dev.tidings.router.RouterApplication",
                    List.of("--server.port=" + port, "--spring.main.banner-mode=off"));
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RouterProcess router = new RouterProcess(process, port, log);
            // Ready, as Kubernetes asks: the health of the routes themselves may be DOWN (a registry outage).
            await().atMost(Duration.ofSeconds(90)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("router process died:\n" + Files.readString(log));
                }
                return router.get("/actuator/health/readiness").statusCode() == 200;
            });
            return router;
        }
        catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    /** {@code GET path} on the router's port. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The process's Prometheus scrape. */
    String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** SIGKILL: the process ends at once, whatever it was doing. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package dev.tidings.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options every bench command shares: where the cluster is and how to sign tokens.
 *
 * <p>Not thread-safe: filled by picocli, then read.
 */
final class BenchOptions {

    @Option(names = "--gateways", split = ",", paramLabel = "URL",
            defaultValue = "ws://127.0.0.1:8081/ws,ws://127.0.0.1:8082/ws",
            description = "Gateway WebSocket URLs, comma-separated; client i connects to gateway i %% count. Default: ${DEFAULT-VALUE}.")
    List<URI> gateways = new ArrayList<>();

    @Option(names = "--publisher", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "Publisher API base URL. Default: ${DEFAULT-VALUE}.")
    URI publisher = URI.create("http://127.0.0.1:8080");

    @Option(names = "--secret", paramLabel = "SECRET", defaultValue = "${env:TIDINGS_JWT_SECRET}",
            description = "HS256 secret of the cluster (default: $TIDINGS_JWT_SECRET).")
    @Nullable String secret;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "Read the HS256 secret from a file, e.g. .tidings/dev-secret.")
    @Nullable Path secretFile;

    @Option(names = "--broker-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Port of the local Kafka broker, to sample its CPU and RSS. Default: ${DEFAULT-VALUE}.")
    int brokerPort = 9092;

    @Option(names = "--source-ips", paramLabel = "K", defaultValue = "1",
            description = "Spread clients over loopback source addresses 127.0.0.1..K (more ephemeral ports). Default: ${DEFAULT-VALUE}.")
    int sourceIps = 1;

    @Option(names = "--io-threads", paramLabel = "T", defaultValue = "2",
            description = "Netty event loop threads of the client fleet. Default: ${DEFAULT-VALUE}.")
    int ioThreads = 2;

    @Option(names = "--connect-concurrency", paramLabel = "C", defaultValue = "200",
            description = "WebSocket handshakes in flight at once (the peer harness uses 200). Default: ${DEFAULT-VALUE}.")
    int connectConcurrency = 200;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "Longest the connect phase may take. Default: ${DEFAULT-VALUE}.")
    int connectTimeoutSeconds = 180;

    /** The secret from --secret-file, else --secret / $TIDINGS_JWT_SECRET. */
    String secret() {
        if (secretFile != null) {
            try {
                return Files.readString(secretFile).trim();
            }
            catch (IOException ex) {
                throw new IllegalArgumentException("cannot read --secret-file " + secretFile + ": " + ex.getMessage());
            }
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("no JWT secret: pass --secret, --secret-file or set TIDINGS_JWT_SECRET");
        }
        return secret.trim();
    }

    /** The HTTP base URL of gateway {@code i} (its actuator). */
    URI gatewayHttp(int i) {
        URI ws = gateways.get(i);
        return URI.create((ws.getScheme().equals("wss") ? "https" : "http") + "://" + ws.getHost() + ":" + ws.getPort());
    }

    /** Ports of the services to sample: node1..nodeN, kafka, publisherApi. */
    Map<String, Integer> servicePorts(boolean withPublisher) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < gateways.size(); i++) {
            ports.put("node" + (i + 1), gateways.get(i).getPort());
        }
        ports.put("kafka", brokerPort);
        if (withPublisher) {
            ports.put("publisherApi", publisher.getPort());
        }
        return ports;
    }

    /** Fails with a clear message when the fleet would not fit in this process's open-file limit. */
    static void requireFileDescriptors(int sockets) {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            if (sockets + 256 > max) {
                throw new IllegalArgumentException("open-file limit " + max + " is too low for " + sockets
                        + " sockets; raise it (ulimit -n) or run several bench processes");
            }
        }
    }
}

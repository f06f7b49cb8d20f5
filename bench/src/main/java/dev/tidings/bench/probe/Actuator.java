package dev.tidings.bench.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Reads a service's {@code /actuator/prometheus}: used heap (the sum of
 * {@code jvm_memory_used_bytes{area="heap"}} over pools) and any single gauge.
 *
 * <p>Thread-safe: the JDK HTTP client is.
 */
public final class Actuator {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI prometheus;

    /** @param base the service's base URL, e.g. {@code http://127.0.0.1:8081} */
    public Actuator(URI base) {
        this.prometheus = URI.create(base.toString().replaceAll("/+$", "") + "/actuator/prometheus");
    }

    /** The scrape text, or null when the service did not answer. */
    public String scrape() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(prometheus)
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        }
        catch (java.io.IOException ex) {
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Used heap in bytes, if the service answered. */
    public OptionalDouble heapUsedBytes() {
        String text = scrape();
        return text == null ? OptionalDouble.empty() : heapUsedBytes(text);
    }

    /** Sums {@code jvm_memory_used_bytes} samples labelled {@code area="heap"}. */
    static OptionalDouble heapUsedBytes(String scrape) {
        double sum = 0;
        boolean any = false;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                any = true;
            }
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** The first sample of an unlabelled-or-labelled metric {@code name}, if present. */
    static OptionalDouble gauge(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalDouble.empty();
    }

    /** The metric {@code name} from a fresh scrape, if the service answered and has it. */
    public OptionalDouble gauge(String name) {
        String text = scrape();
        return text == null ? OptionalDouble.empty() : gauge(text, name);
    }
}

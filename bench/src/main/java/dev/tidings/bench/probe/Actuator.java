package dev.tidings.bench.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a service's {@code /actuator/prometheus}: used heap (the sum of
 * {@code jvm_memory_used_bytes{area="heap"}} over pools) and any single gauge. The heap is read
 * with {@code includedNames}, so that the service computes that one metric and not every gauge it
 * has: a whole gateway scrape under load lists 10,000 open files and walks every session, CPU the
 * instrument would take from what it measures every time it samples.
 *
 * <p>Thread-safe: the JDK HTTP client is.
 */
public final class Actuator {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI prometheus;
    private final URI heapOnly;

    /** @param base the service's base URL, e.g. {@code http://127.0.0.1:8081} */
    public Actuator(URI base) {
        this.prometheus = URI.create(base.toString().replaceAll("/+$", "") + "/actuator/prometheus");
        this.heapOnly = URI.create(prometheus + "?includedNames=jvm_memory_used_bytes");
    }

    /** The scrape text, or null when the service did not answer. */
    public String scrape() {
        return scrape(prometheus);
    }

    private static String scrape(URI uri) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
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
        String text = scrape(heapOnly);
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

    /**
     * The samples of metric {@code name} keyed by the value of their label {@code label}, summed
     * over their other labels (e.g. {@code tidings_gateway_resumes_total} by {@code outcome}).
     */
    static Map<String, Double> byLabel(String scrape, String name, String label) {
        Pattern value = Pattern.compile("[{,]" + Pattern.quote(label) + "=\"([^\"]*)\"");
        Map<String, Double> sums = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{")) {
                Matcher m = value.matcher(line.substring(name.length(), line.lastIndexOf('}') + 1));
                if (m.find()) {
                    sums.merge(m.group(1), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                }
            }
        }
        return sums;
    }

    /** {@link #byLabel(String, String, String)} from a fresh scrape; empty when the service did not answer. */
    public Map<String, Double> byLabel(String name, String label) {
        String text = scrape();
        return text == null ? Map.of() : byLabel(text, name, label);
    }

    /** The metric {@code name} from a fresh scrape, if the service answered and has it. */
    public OptionalDouble gauge(String name) {
        String text = scrape();
        return text == null ? OptionalDouble.empty() : gauge(text, name);
    }
}

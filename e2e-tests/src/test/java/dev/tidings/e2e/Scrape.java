package dev.tidings.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads one metric from a service's {@code /actuator/prometheus}. */
final class Scrape {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Scrape() {
    }

    /** The sum over every series of {@code name} (e.g. {@code tidings_gateway_connections}); 0 when absent. */
    static double metric(int port, String name) {
        return sum(port, name, "");
    }

    /**
     * The sum over the series of {@code name} labelled {@code label="value"} (e.g. {@code stage="routed"});
     * 0 when absent.
     */
    static double series(int port, String name, String label, String value) {
        return sum(port, name, label + "=\"" + value + "\"");
    }

    /**
     * The cumulative buckets of histogram {@code name} (e.g. {@code tidings_gateway_latency_seconds}) in the
     * series labelled {@code label="value"}: upper bound ({@code le}, +Inf as infinity) to count.
     */
    static java.util.NavigableMap<Double, Double> buckets(int port, String name, String label, String value) {
        java.util.NavigableMap<Double, Double> buckets = new java.util.TreeMap<>();
        for (String line : body(port).split("\n")) {
            if (line.startsWith(name + "_bucket{") && line.contains(label + "=\"" + value + "\"")) {
                int le = line.indexOf("le=\"") + 4;
                String bound = line.substring(le, line.indexOf('"', le));
                buckets.merge(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return buckets;
    }

    private static String body(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (Exception ex) {
            throw new AssertionError("cannot scrape port " + port, ex);
        }
    }

    private static double sum(int port, String name, String labelled) {
        String body = body(port);
        double sum = 0;
        for (String line : body.split("\n")) {
            if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(labelled)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}

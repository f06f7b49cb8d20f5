package dev.tidings.bench.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One stage of the gateways' {@code tidings_gateway_latency_seconds} histogram ({@code routed}: the consumer
 * routed the record; {@code written}: an event loop wrote its frame to that loop's addressees), read from
 * a Prometheus scrape: cumulative bucket counts by upper bound in seconds, the count and the sum. Scrapes
 * taken before and after a measured window are subtracted ({@link #minus}) and the nodes' windows added
 * ({@link #plus}), so the figures cover that window on every node.
 *
 * <p>Quantiles are bucket bounds: {@link #quantileMillis} is the upper bound of the first bucket holding
 * that share of the records (Micrometer's buckets are a few percent to a third apart), so read it as "at
 * most". Immutable.
 */
public record StageLatency(TreeMap<Double, Double> buckets, double count, double sumSeconds) {

    static final String NAME = "tidings_gateway_latency_seconds";
    private static final Pattern LE = Pattern.compile("[{,]le=\"([^\"]+)\"");

    /** Nothing recorded (a service that did not answer, or has no such stage). */
    public static StageLatency empty() {
        return new StageLatency(new TreeMap<>(), 0, 0);
    }

    /** The stage's histogram in a scrape; empty when the scrape is null or has none. */
    public static StageLatency parse(String scrape, String stage) {
        if (scrape == null) {
            return empty();
        }
        String labelled = "stage=\"" + stage + "\"";
        TreeMap<Double, Double> buckets = new TreeMap<>();
        double count = 0;
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(NAME + "_") || !line.contains(labelled)) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith(NAME + "_bucket{")) {
                Matcher le = LE.matcher(line);
                if (le.find()) {
                    String bound = le.group(1);
                    buckets.merge(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), value,
                            Double::sum);
                }
            }
            else if (line.startsWith(NAME + "_count{")) {
                count += value;
            }
            else if (line.startsWith(NAME + "_sum{")) {
                sum += value;
            }
        }
        return new StageLatency(buckets, count, sum);
    }

    /** This window less an earlier scrape of the same node. */
    public StageLatency minus(StageLatency earlier) {
        TreeMap<Double, Double> diff = new TreeMap<>(buckets);
        earlier.buckets.forEach((bound, n) -> diff.merge(bound, -n, Double::sum));
        return new StageLatency(diff, count - earlier.count, sumSeconds - earlier.sumSeconds);
    }

    /** This node's window and another's together. */
    public StageLatency plus(StageLatency other) {
        TreeMap<Double, Double> total = new TreeMap<>(buckets);
        other.buckets.forEach((bound, n) -> total.merge(bound, n, Double::sum));
        return new StageLatency(total, count + other.count, sumSeconds + other.sumSeconds);
    }

    /** The mean in milliseconds; empty when nothing was recorded. */
    public OptionalDouble meanMillis() {
        return count <= 0 ? OptionalDouble.empty() : OptionalDouble.of(sumSeconds / count * 1000);
    }

    /**
     * The upper bound, in milliseconds, of the first bucket holding {@code percent} % of the records
     * (infinite when only the +Inf bucket does); empty when nothing was recorded.
     */
    public OptionalDouble quantileMillis(double percent) {
        if (count <= 0) {
            return OptionalDouble.empty();
        }
        double wanted = count * percent / 100;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= wanted) {
                return OptionalDouble.of(bucket.getKey() * 1000);
            }
        }
        return OptionalDouble.of(Double.POSITIVE_INFINITY);
    }

    /**
     * The window as a JSON object: records, mean, p50, p99 and p99.9 in ms (bucket bounds; null when
     * nothing was recorded, or past the largest bucket, a minute).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", Math.round(count));
        out.put("mean", round(meanMillis()));
        out.put("p50", round(quantileMillis(50)));
        out.put("p99", round(quantileMillis(99)));
        out.put("p999", round(quantileMillis(99.9)));
        return out;
    }

    private static Double round(OptionalDouble millis) {
        if (millis.isEmpty() || Double.isInfinite(millis.getAsDouble())) {
            return null;
        }
        return Math.round(millis.getAsDouble() * 100) / 100.0;
    }
}

package dev.tidings.publisher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sequential publish latency over HTTP on the test broker, with and without a caller-given id.
 * A measurement, not a check: it runs only with {@code -Dtidings.latency=true} and prints its
 * percentiles.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PublishLatencyIT {

    static final int WARM_UP = 500;
    static final int MEASURED = 2000;

    @Test
    void printsSequentialPublishLatencyWithAndWithoutAnId() throws Exception {
        assumeTrue(Boolean.getBoolean("tidings.latency"), "a measurement: run with -Dtidings.latency=true");
        try (Replica publisher = new Replica(Map.of("tidings.topic.name", "latency-" + UUID.randomUUID(),
                // Measured, not limited.
                "tidings.publisher.rate-limit-per-second", 1_000_000,
                "tidings.publisher.rate-limit-burst", 1_000_000))) {
            String run = UUID.randomUUID().toString();
            measure(publisher, WARM_UP, n -> notice(null));
            measure(publisher, WARM_UP, n -> notice("warm-" + run + "-" + n));
            long[] withoutId = measure(publisher, MEASURED, n -> notice(null));
            long[] withId = measure(publisher, MEASURED, n -> notice("m-" + run + "-" + n));
            System.out.println("publish latency, " + MEASURED + " sequential requests each: without id "
                    + summary(withoutId) + "; with id " + summary(withId));
        }
    }

    private static long[] measure(Replica publisher, int count, java.util.function.IntFunction<String> body)
            throws Exception {
        long[] micros = new long[count];
        for (int n = 0; n < count; n++) {
            long started = System.nanoTime();
            HttpResponse<String> response = publisher.post("/api/v1/notifications", "latency", body.apply(n));
            micros[n] = (System.nanoTime() - started) / 1000;
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        Arrays.sort(micros);
        return micros;
    }

    private static String summary(long[] sorted) {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms", sorted[sorted.length / 2] / 1000.0,
                sorted[sorted.length * 9 / 10] / 1000.0, sorted[sorted.length * 99 / 100] / 1000.0);
    }

    private static String notice(String id) {
        return "{" + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"target\":{\"type\":\"user\",\"ids\":[\"alice\"]},\"event\":\"latency\",\"payload\":{\"n\":1}}";
    }
}

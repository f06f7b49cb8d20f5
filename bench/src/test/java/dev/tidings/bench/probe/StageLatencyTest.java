package dev.tidings.bench.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StageLatencyTest {

    static String scrape(String stage, long under1ms, long under2ms, long under100ms, long all, double sumSeconds) {
        String labels = "{application=\"gateway-node\",stage=\"" + stage + "\"";
        return "# HELP tidings_gateway_latency_seconds From a record's Kafka timestamp to a stage\n"
                + "# TYPE tidings_gateway_latency_seconds histogram\n"
                + "tidings_gateway_latency_seconds_bucket" + labels + ",le=\"0.001\"} " + under1ms + "\n"
                + "tidings_gateway_latency_seconds_bucket" + labels + ",le=\"0.002\"} " + under2ms + "\n"
                + "tidings_gateway_latency_seconds_bucket" + labels + ",le=\"0.1\"} " + under100ms + "\n"
                + "tidings_gateway_latency_seconds_bucket" + labels + ",le=\"+Inf\"} " + all + "\n"
                + "tidings_gateway_latency_seconds_count" + labels + "} " + all + "\n"
                + "tidings_gateway_latency_seconds_sum" + labels + "} " + sumSeconds + "\n"
                + "# TYPE tidings_gateway_latency_seconds_max gauge\n"
                + "tidings_gateway_latency_seconds_max" + labels + "} 7.5\n";
    }

    @Test
    void readsOneStagesBucketsCountAndSumAndIgnoresTheOtherStageAndTheMax() {
        String text = scrape("routed", 10, 90, 100, 100, 0.2) + scrape("written", 0, 0, 0, 5, 50.0);

        StageLatency routed = StageLatency.parse(text, "routed");

        assertThat(routed.count()).isEqualTo(100);
        assertThat(routed.meanMillis()).hasValue(2.0);
        assertThat(routed.quantileMillis(50)).hasValue(2.0);
        assertThat(routed.quantileMillis(10)).hasValue(1.0);
        assertThat(routed.quantileMillis(99)).hasValue(100.0);
    }

    @Test
    void theMeasuredWindowIsTheLaterScrapeLessTheEarlierSummedOverNodes() {
        StageLatency node1 = StageLatency.parse(scrape("written", 50, 60, 60, 60, 1.0), "written")
                .minus(StageLatency.parse(scrape("written", 50, 50, 50, 50, 0.5), "written"));
        StageLatency node2 = StageLatency.parse(scrape("written", 0, 0, 10, 10, 0.5), "written")
                .minus(StageLatency.parse(scrape("written", 0, 0, 0, 0, 0.0), "written"));

        StageLatency window = node1.plus(node2);

        assertThat(window.count()).isEqualTo(20);
        assertThat(window.meanMillis()).hasValue(50.0);
        assertThat(window.quantileMillis(50)).as("the warm-up's 50 records under 1 ms are not in the window")
                .hasValue(2.0);
        assertThat(window.quantileMillis(99)).hasValue(100.0);
        assertThat(window.toJson()).containsEntry("records", 20L).containsEntry("p99", 100.0);
    }

    @Test
    void recordsPastTheLargestBucketHaveNoFiniteQuantileAndAnAbsentScrapeHasNone() {
        StageLatency slow = StageLatency.parse(scrape("routed", 0, 0, 0, 4, 400.0), "routed");

        assertThat(slow.quantileMillis(50)).hasValue(Double.POSITIVE_INFINITY);
        assertThat(slow.toJson()).containsEntry("p50", null).containsEntry("mean", 100000.0);
        assertThat(StageLatency.parse(null, "routed").toJson()).containsEntry("records", 0L).containsEntry("p99", null);
    }
}

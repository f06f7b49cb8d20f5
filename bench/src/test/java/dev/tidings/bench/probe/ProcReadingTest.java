package dev.tidings.bench.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcReadingTest {

    @Test
    void readsUserPlusSystemTicksAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (gw 1)) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 50 0 0 20 0 40 0 100 0 0";

        assertThat(ProcessProbe.cpuMicrosFromStat(stat, 100)).isEqualTo(3_000_000);
    }

    @Test
    void readsPeakResidentSetFromStatus() {
        String status = "Name:\tjava\nVmPeak:\t 3117816 kB\nVmHWM:\t  196572 kB\nVmRSS:\t  150000 kB\n";

        assertThat(ProcessProbe.statusValueKib(status, "VmHWM:")).isEqualTo(196572);
        assertThat(ProcessProbe.statusValueKib(status, "VmRSS:")).isEqualTo(150000);
    }

    @Test
    void computesMachineBusyPercentFromIdleAndIowaitTicks() {
        MachineCpu before = MachineCpu.parse("cpu  100 0 100 700 100 0 0 0 0 0");
        MachineCpu after = MachineCpu.parse("cpu  200 0 200 800 100 0 0 0 0 0");

        assertThat(after.busyPercentSince(before)).isEqualTo(67);
    }

    @Test
    void sumsHeapPoolsOfThePrometheusScrape() {
        String scrape = """
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                tidings_gateway_connections 5000.0
                """;

        assertThat(Actuator.heapUsedBytes(scrape).getAsDouble()).isEqualTo(12_582_912.0);
        assertThat(Actuator.gauge(scrape, "tidings_gateway_connections").getAsDouble()).isEqualTo(5000.0);
    }

    @Test
    void sumsACounterByOneLabelOverItsOtherLabels() {
        String scrape = """
                # TYPE tidings_gateway_resumes_total counter
                tidings_gateway_resumes_total{application="gw",outcome="window"} 9990.0
                tidings_gateway_resumes_total{application="gw",outcome="kafka"} 10.0
                tidings_gateway_resumes_total{outcome="kafka",application="other"} 2.0
                tidings_gateway_resumes_totally{outcome="window"} 1.0
                """;

        assertThat(Actuator.byLabel(scrape, "tidings_gateway_resumes_total", "outcome"))
                .containsExactly(java.util.Map.entry("kafka", 12.0), java.util.Map.entry("window", 9990.0));
    }
}

package dev.tidings.bench.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The processes under test, by name ({@code node1}, {@code node2}, {@code kafka},
 * {@code publisherApi}, {@code loadgen}), found by the TCP port each listens on. A service whose
 * port nobody listens on (or another machine's) is kept with pid -1 and reads as null.
 *
 * <p>Thread-safe: immutable.
 */
public final class Services {

    private final Map<String, Long> pids;

    private Services(Map<String, Long> pids) {
        this.pids = pids;
    }

    /** Looks up each service's pid by port; {@code loadgen} is this JVM. */
    public static Services byPort(Map<String, Integer> ports) {
        Map<String, Long> pids = new LinkedHashMap<>();
        ports.forEach((name, port) -> pids.put(name, port == null || port <= 0 ? -1L
                : ProcessProbe.pidListeningOn(port).orElse(-1)));
        pids.put("loadgen", ProcessProbe.self());
        return new Services(pids);
    }

    /** Service names to pids (-1 when not found). */
    public Map<String, Long> pids() {
        return pids;
    }

    /** The pid of {@code name}, or -1. */
    public long pid(String name) {
        return pids.getOrDefault(name, -1L);
    }

    /** CPU microseconds used so far by each service (-1 when unknown). */
    public Map<String, Long> cpuMicros() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpu.put(name, pid < 0 ? -1 : ProcessProbe.cpuMicros(pid)));
        return cpu;
    }

    /** CPU of each service between two snapshots as a percentage of one core; null when unknown. */
    public static Map<String, Long> cpuPercent(Map<String, Long> before, Map<String, Long> after, long wallNanos) {
        Map<String, Long> percent = new LinkedHashMap<>();
        before.forEach((name, b) -> {
            Long a = after.get(name);
            percent.put(name, b < 0 || a == null || a < 0 || wallNanos <= 0 ? null
                    : Math.round((a - b) * 1000.0 * 100 / wallNanos));
        });
        return percent;
    }

    /** Peak resident set of each service in MiB; null when unknown. */
    public Map<String, Long> peakRssMib() {
        Map<String, Long> rss = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            long kib = pid < 0 ? -1 : ProcessProbe.peakRssKib(pid);
            rss.put(name, kib < 0 ? null : Math.round(kib / 1024.0));
        });
        return rss;
    }

    /** Resets every service's peak RSS to its current RSS (the loadgen's too). */
    public void resetPeakRss() {
        pids.values().forEach(pid -> {
            if (pid > 0) {
                ProcessProbe.resetPeakRss(pid);
            }
        });
    }
}

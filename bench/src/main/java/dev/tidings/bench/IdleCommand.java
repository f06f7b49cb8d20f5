package dev.tidings.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tidings.bench.population.Population;
import dev.tidings.bench.probe.Actuator;
import dev.tidings.bench.probe.ProcessProbe;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.bench.ws.ClientFleet;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tidings-bench idle}: how many idle WebSocket connections the gateways hold, and what each
 * costs. Connects in steps (e.g. 5000, 10000, 19000 clients), and after each step forces a full
 * GC in every gateway and counts the bytes of its live objects ({@code jcmd <pid> GC.class_histogram}),
 * its RSS and its own connection gauge; heap per connection is (heap now - heap before any
 * client) / connections. Prints one JSON line before the first step (that baseline) and one per step.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Idle connections per gateway node and heap per connection, in steps.")
final class IdleCommand implements Callable<Integer> {

    /** Times a gateway's class histogram is asked for before the run stops. */
    private static final int HISTOGRAM_ATTEMPTS = 3;

    /** The last line of a class histogram: "Total", instances, bytes. */
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    @Mixin
    BenchOptions cluster = new BenchOptions();

    @Option(names = "--steps", split = ",", paramLabel = "N", defaultValue = "5000,10000,19000",
            description = "Total clients after each step, ascending. Default: ${DEFAULT-VALUE}.")
    List<Integer> steps = new ArrayList<>();

    @Option(names = "--settle-seconds", paramLabel = "S", defaultValue = "10",
            description = "Wait after each step before measuring. Default: ${DEFAULT-VALUE}.")
    int settleSeconds = 10;

    @Option(names = "--group-size", paramLabel = "K", defaultValue = "10", description = "Members per group. Default: ${DEFAULT-VALUE}.")
    int groupSize = 10;

    @Option(names = "--class-histogram", paramLabel = "FILE",
            description = "After the last step, write the top of each gateway's class histogram here (FILE.node1, ...).")
    @Nullable Path classHistogram;

    @Override
    public Integer call() throws Exception {
        String secret = cluster.secret();
        int max = steps.stream().mapToInt(Integer::intValue).max().orElseThrow();
        BenchOptions.requireFileDescriptors(max);
        Watchdog.start(Duration.ofSeconds((long) steps.size() * (cluster.connectTimeoutSeconds + settleSeconds + 120) + 120),
                () -> Json.printLine(Map.of("error", "watchdog: idle test took too long; aborted")));
        int nodes = cluster.gateways.size();
        List<Actuator> actuators = new ArrayList<>();
        long[] pids = new long[nodes];
        for (int i = 0; i < nodes; i++) {
            actuators.add(new Actuator(cluster.gatewayHttp(i)));
            pids[i] = ProcessProbe.pidListeningOn(cluster.gateways.get(i).getPort()).orElse(-1);
        }
        Population population = new Population(max, groupSize, nodes);
        TokenIssuer issuer = new TokenIssuer(secret);
        double[] baseHeap = new double[nodes];
        long[] baseRss = new long[nodes];
        // Each node's latest class histogram: its total is the heap read, its top what --class-histogram writes.
        Histogram[] histograms = new Histogram[nodes];
        List<Map<String, Object>> before = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            histograms[i] = classHistogram(pids[i]);
            baseHeap[i] = histograms[i].liveBytes();
            baseRss[i] = ProcessProbe.rssKib(pids[i]);
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("node", "node" + (i + 1));
            node.put("heapAfterGcMB", Math.round(baseHeap[i] / 1048576.0));
            node.put("rssMB", baseRss[i] < 0 ? null : Math.round(baseRss[i] / 1024.0));
            before.add(node);
        }
        // The baseline every step's per-connection figures are taken against, on a line of its own.
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("test", "idle");
        baseline.put("clients", 0);
        baseline.put("nodes", before);
        Json.printLine(baseline);
        ClientFleet.Settings settings = new ClientFleet.Settings(cluster.gateways, cluster.connectConcurrency,
                Duration.ofSeconds(cluster.connectTimeoutSeconds), cluster.sourceIps, Duration.ofSeconds(30),
                cluster.ioThreads);
        ClientFleet.FrameSink ignore = (client, frame, now) -> {
        };
        int failures = 0;
        try (ClientFleet fleet = new ClientFleet(settings, max,
                i -> issuer.issue(Population.userId(i), List.of(Population.groupId(population.groupOf(i))), List.of(),
                        Duration.ofHours(6)), ignore)) {
            int connected = 0;
            for (int step : steps) {
                ClientFleet.ConnectResult result = fleet.connect(connected, step);
                connected = step;
                BenchCommand.log("step %d: %d/%d welcomed in %d ms", step, result.welcomed(), result.requested(),
                        result.elapsedMillis());
                Thread.sleep(settleSeconds * 1000L);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("test", "idle");
                line.put("clients", step);
                line.put("welcomed", fleet.welcomed());
                line.put("stepConnectMs", result.elapsedMillis());
                line.put("connectErrors", fleet.connectErrors());
                line.put("disconnects", fleet.disconnects());
                List<Map<String, Object>> perNode = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    histograms[i] = classHistogram(pids[i]);
                    double heap = histograms[i].liveBytes();
                    Actuator actuator = actuators.get(i);
                    double sessions = actuator.gauge("tidings_gateway_connections").orElse(Double.NaN);
                    long rss = ProcessProbe.rssKib(pids[i]);
                    Map<String, Object> node = new LinkedHashMap<>();
                    node.put("node", "node" + (i + 1));
                    node.put("connections", Double.isNaN(sessions) ? null : (long) sessions);
                    node.put("heapAfterGcMB", Math.round(heap / 1048576.0));
                    node.put("heapPerConnectionBytes", Double.isNaN(sessions) || sessions <= 0
                            ? null : Math.round((heap - baseHeap[i]) / sessions));
                    node.put("rssMB", rss < 0 ? null : Math.round(rss / 1024.0));
                    node.put("rssPerConnectionBytes", rss < 0 || sessions <= 0 ? null
                            : Math.round((rss - baseRss[i]) * 1024.0 / sessions));
                    perNode.add(node);
                }
                line.put("nodes", perNode);
                line.put("loadgenRssMB", Math.round(ProcessProbe.rssKib(ProcessProbe.self()) / 1024.0));
                Json.printLine(line);
                if (result.welcomed() < result.requested()) {
                    failures++;
                    BenchCommand.log("step %d did not fully connect; stopping here", step);
                    break;
                }
            }
            if (classHistogram != null) {
                for (int i = 0; i < nodes; i++) {
                    String top = String.join("\n", histograms[i].text().lines().limit(40).toList());
                    Files.writeString(Path.of(classHistogram + ".node" + (i + 1)), top + "\n");
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /**
     * The class histogram of {@code pid} ({@code jcmd GC.class_histogram}, which runs a full GC first and counts
     * every object left), or an exception: a heap read after a GC that did not run counts garbage as connections,
     * and so does a read of the heap gauge, whatever was allocated between the GC and the read. jcmd fails now and
     * then to attach to a busy JVM (the first attach starts the JVM's attach listener), so it is tried a few times.
     */
    private static Histogram classHistogram(long pid) throws InterruptedException {
        if (pid <= 0) {
            throw new IllegalStateException("no gateway process found to take a class histogram of");
        }
        String out = "";
        for (int attempt = 1; attempt <= HISTOGRAM_ATTEMPTS; attempt++) {
            out = jcmd(pid, "GC.class_histogram");
            Matcher total = HISTOGRAM_TOTAL.matcher(out);
            if (total.find()) {
                return new Histogram(out, Long.parseLong(total.group(1)));
            }
            BenchCommand.log("class histogram of %d failed (attempt %d of %d): %s", pid, attempt, HISTOGRAM_ATTEMPTS,
                    out.lines().limit(3).toList());
            Thread.sleep(2000);
        }
        throw new IllegalStateException("no class histogram of " + pid + " after " + HISTOGRAM_ATTEMPTS + " attempts: "
                + out.lines().limit(3).toList());
    }

    /** A class histogram's text and its total: the bytes of the objects live after the full GC it ran. */
    private record Histogram(String text, long liveBytes) {
    }

    private static String jcmd(long pid, String command) throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            byte[] out = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(120, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            return "";
        }
    }
}

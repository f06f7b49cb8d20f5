package dev.tidings.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import dev.tidings.bench.ledger.DeliveryLedger;
import dev.tidings.bench.ledger.LedgerSummary;
import dev.tidings.bench.population.Population;
import dev.tidings.bench.population.PublishPlan;
import dev.tidings.bench.population.Scenario;
import dev.tidings.bench.probe.Actuator;
import dev.tidings.bench.probe.HeapSampler;
import dev.tidings.bench.probe.MachineCpu;
import dev.tidings.bench.probe.Services;
import dev.tidings.bench.probe.StageLatency;
import dev.tidings.bench.publish.PublishDriver;
import dev.tidings.bench.publish.Publisher;
import dev.tidings.bench.ws.ClientFleet;
import dev.tidings.bench.ws.ReconnectingClients;
import dev.tidings.common.auth.TokenIssuer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tidings-bench}: runs one fan-out scenario against a running cluster and prints one
 * JSON line with the same fields as the Socket.IO peer harness. N clients connect (each with
 * its own token) and wait for their welcome; notifications are published at a fixed rate for a
 * fixed time; the clients' deliveries are judged against the plan; the run drains (3 s quiet or
 * 60 s at most) and reports. Subcommands measure idle connections, publisher throughput and a
 * reconnect storm after a node is killed.
 */
@Command(name = "tidings-bench", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = { IdleCommand.class, PublisherThroughputCommand.class, StormCommand.class },
        description = "Fan-out benchmark: N WebSocket clients, a fixed-rate publisher, one JSON result line on stdout.")
public final class BenchCommand implements Callable<Integer> {

    private static final int PAUSE_LIMIT_MINUTES = 10;

    @Mixin
    BenchOptions cluster = new BenchOptions();

    @Option(names = "--scenario", paramLabel = "broadcast|user|group", defaultValue = "broadcast",
            converter = ScenarioConverter.class, description = "What each notification addresses. Default: ${DEFAULT-VALUE}.")
    Scenario scenario = Scenario.BROADCAST;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "2000", description = "WebSocket clients. Default: ${DEFAULT-VALUE}.")
    int clients = 2000;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "50", description = "Notifications per second. Default: ${DEFAULT-VALUE}.")
    double rate = 50;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "30", description = "Publishing time. Default: ${DEFAULT-VALUE}.")
    double seconds = 30;

    @Option(names = "--group-size", paramLabel = "K", defaultValue = "10", description = "Members per group. Default: ${DEFAULT-VALUE}.")
    int groupSize = 10;

    @Mixin
    PublishOptions publish = new PublishOptions();

    @Option(names = "--reset-peak-rss", description = "Reset the services' peak RSS before connecting (for a reused cluster).")
    boolean resetPeakRss;

    @Option(names = "--warm-up-seconds", paramLabel = "S", defaultValue = "15",
            description = "Before the measured run, publish the same traffic for S seconds under another run id, not"
                    + " measured, so that this process's JIT has compiled its send and receive paths: after 5 s it"
                    + " was still compiling, a fifth of its CPU during the measured window at user 15000/s, on the"
                    + " cores of the system measured. Default: ${DEFAULT-VALUE}.")
    double warmUpSeconds = 15;

    @Option(names = "--pause-after-warm-up", paramLabel = "FILE",
            description = "After the warm-up, close its clients, create FILE.paused and wait (up to "
                    + PAUSE_LIMIT_MINUTES + " min) until FILE exists; then connect the clients afresh and measure. A"
                    + " script restarts services in the pause, so that a warm load generator measures them cold: a"
                    + " fresh one compiles its own paths on the cores it measures them on, and timestamps late.")
    Path pauseFile;

    @Option(names = "--start-file", paramLabel = "FILE",
            description = "Before anything else, create FILE.ready and wait (up to " + PAUSE_LIMIT_MINUTES
                    + " min) until FILE exists. A script starts the load generator this way before the services it"
                    + " measures cold, so that the load generator's own start (its JVM, its heap touched) is done"
                    + " before their first seconds, not on the cores it measures them on.")
    Path startFile;

    @Option(names = "--reconnect",
            description = "Clients whose gateway closes them come back as the JS SDK does: after a jittered wait, to"
                    + " the next gateway, resuming from their cursor. Their deliveries until the resume ends are"
                    + " catch-up (catchUpMs), apart from the live latency (latencyMs). For a run across a rolling"
                    + " restart, which leaves the gateways' stages and per-node CPU out.")
    boolean reconnect;

    @Option(names = "--reconnect-jitter", paramLabel = "MILLIS", defaultValue = "500",
            description = "With --reconnect: the ceiling of the full-jitter wait before a closed client's first"
                    + " attempt (default ${DEFAULT-VALUE}, the JS SDK's); later attempts follow the SDK's backoff.")
    long reconnectJitterMillis;

    @Option(names = "--reconnect-welcome-timeout", paramLabel = "MILLIS", defaultValue = "10000",
            description = "With --reconnect: how long an attempt waits for its welcome before it is dropped and the"
                    + " client moves on (default ${DEFAULT-VALUE}, the JS SDK's connectTimeoutMs).")
    long reconnectWelcomeTimeoutMillis;

    @Option(names = "--measuring-file", paramLabel = "FILE",
            description = "Create FILE when the measured publishing starts, so that a script can restart services"
                    + " during it.")
    Path measuringFile;

    @Option(names = "--slowest-out", paramLabel = "FILE",
            description = "Also write each notification's slowest delivery as CSV (seq, due second, slowest ms):"
                    + " shows whether the latency tail is a few late notifications, and when they were due.")
    Path slowestOut;

    public static void main(String[] args) {
        int exit = new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(exit);
    }

    @Override
    public Integer call() throws Exception {
        if (startFile != null) {
            awaitFile(startFile, ".ready", "started");
        }
        String secret = cluster.secret();
        BenchOptions.requireFileDescriptors(clients);
        if (rate <= 0 || seconds <= 0 || warmUpSeconds < 0) {
            throw new IllegalArgumentException("--rate and --seconds must be positive, --warm-up-seconds not negative");
        }
        if (pauseFile != null && warmUpSeconds == 0) {
            throw new IllegalArgumentException("--pause-after-warm-up needs a warm-up (--warm-up-seconds > 0)");
        }
        long pauseSeconds = pauseFile == null ? 0 : PAUSE_LIMIT_MINUTES * 60L + cluster.connectTimeoutSeconds;
        Watchdog.start(Duration.ofSeconds((long) (warmUpSeconds + publish.drainMaxSeconds + seconds
                + cluster.connectTimeoutSeconds + publish.drainMaxSeconds + 240) + pauseSeconds),
                () -> errorLine("watchdog: the run took too long; aborted"));

        Population population = new Population(clients, groupSize, cluster.gateways.size());
        PublishPlan plan = new PublishPlan(scenario, population, (int) Math.round(rate * seconds), publish.seed);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        // --warm-up-seconds 0: none, measuring a cold system from its first notification.
        int warmUpCount = (int) Math.round(rate * warmUpSeconds);
        @Nullable PublishPlan warmUpPlan = warmUpCount == 0 ? null
                : new PublishPlan(scenario, population, warmUpCount, publish.seed + 1);
        @Nullable DeliveryLedger warmUpLedger = warmUpPlan == null ? null : new DeliveryLedger(warmUpPlan);
        BenchClock clock = new BenchClock();
        String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        String warmUpRunId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        TokenIssuer issuer = new TokenIssuer(secret);
        Duration tokenTtl = Duration.ofHours(6);

        List<Actuator> gatewayActuators = new ArrayList<>();
        for (int i = 0; i < cluster.gateways.size(); i++) {
            gatewayActuators.add(new Actuator(cluster.gatewayHttp(i)));
        }
        log("%s: %d clients over %s, %s/s for %ss via %s (run %s)", scenario.label(), clients, cluster.gateways,
                fmt(rate), fmt(seconds), publish.route(), runId);

        @Nullable ReconnectingClients reconnecting = reconnect ? new ReconnectingClients(clients, cluster.gateways,
                clock::toEpochMicros, () -> ThreadLocalRandom.current().nextDouble(), reconnectJitterMillis) : null;
        ClientFleet.FrameSink sink = (client, frame, nowNanos) -> {
            DeliveryLedger owner = runId.equals(frame.run()) ? ledger
                    : warmUpRunId.equals(frame.run()) ? warmUpLedger : null;
            if (owner == null) {
                ledger.foreign();
                return;
            }
            long latency = clock.toEpochMicros(nowNanos) - frame.publishedMicros();
            if (reconnecting != null && !reconnecting.isLive(client, frame)) {
                owner.caughtUp(client, frame.seq(), latency, nowNanos);
                return;
            }
            long ingress = frame.acceptedMillis() < 0 ? DeliveryLedger.UNKNOWN
                    : frame.acceptedMillis() * 1000 - frame.publishedMicros();
            owner.delivered(client, frame.seq(), latency, ingress, nowNanos);
        };
        ClientFleet.Settings fleetSettings = new ClientFleet.Settings(cluster.gateways, cluster.connectConcurrency,
                Duration.ofSeconds(cluster.connectTimeoutSeconds), cluster.sourceIps, Duration.ofSeconds(30),
                cluster.ioThreads, reconnect, Duration.ofMillis(reconnectWelcomeTimeoutMillis));
        if (pauseFile != null && warmUpPlan != null && warmUpLedger != null) {
            try (ClientFleet fleet = new ClientFleet(fleetSettings, clients, i -> issuer.issue(Population.userId(i),
                    List.of(Population.groupId(population.groupOf(i))), List.of(), tokenTtl), sink);
                    Publisher publisher = publish.openPublisher(cluster.publisher, issuer, tokenTtl)) {
                ClientFleet.ConnectResult connected = fleet.connect(0, clients);
                if (connected.welcomed() < clients) {
                    errorLine("warm-up: only " + connected.welcomed() + "/" + clients + " connected after "
                            + connected.elapsedMillis() / 1000 + "s");
                    return 1;
                }
                warmUp(publisher, warmUpPlan, warmUpLedger, clock, warmUpRunId);
            }
            awaitResume(pauseFile);
            warmUpPlan = null;
        }
        // Resolved after a pause: the services restarted in it have new process ids.
        Services services = Services.byPort(cluster.servicePorts(publish.viaPublisherApi()));
        if (resetPeakRss) {
            services.resetPeakRss();
        }
        try (HeapSampler heap = new HeapSampler(gatewayActuators, 2000);
                ClientFleet fleet = new ClientFleet(fleetSettings, clients,
                        i -> issuer.issue(Population.userId(i), List.of(Population.groupId(population.groupOf(i))),
                                List.of(), tokenTtl), sink,
                        reconnecting != null ? reconnecting : ClientFleet.ConnectionListener.NONE);
                Publisher publisher = publish.openPublisher(cluster.publisher, issuer, tokenTtl)) {
            ClientFleet.ConnectResult connected = fleet.connect(0, clients);
            log("%d/%d clients welcomed in %d ms (%d connect errors)", connected.welcomed(), clients,
                    connected.elapsedMillis(), fleet.connectErrors());
            if (connected.welcomed() < clients) {
                errorLine("only " + connected.welcomed() + "/" + clients + " connected after "
                        + connected.elapsedMillis() / 1000 + "s");
                return 1;
            }
            long disconnectsAtReady = fleet.disconnects();
            if (warmUpPlan != null && warmUpLedger != null) {
                warmUp(publisher, warmUpPlan, warmUpLedger, clock, warmUpRunId);
            }

            List<String> scrapes0 = scrape(gatewayActuators);
            Map<String, Long> cpu0 = services.cpuMicros();
            MachineCpu machine0 = MachineCpu.now();
            PublishDriver driver = publish.driver(publisher, ledger, clock, runId);
            if (measuringFile != null) {
                Files.writeString(measuringFile, Long.toString(ProcessHandle.current().pid()));
            }
            PublishDriver.Report published = driver.run(plan, rate);
            Map<String, Long> cpu1 = services.cpuMicros();
            MachineCpu machine1 = MachineCpu.now();
            log("published %d in %.2f s (achieved %.1f/s, %d errors %s); draining", published.published(),
                    (published.lastSendNanos() - published.t0Nanos()) / 1e9, published.achievedRate(),
                    published.errorCount(), published.errors());

            publish.drain(ledger, published.flushedNanos());
            Map<String, Long> cpu2 = services.cpuMicros();
            List<String> scrapes2 = scrape(gatewayActuators);
            long disconnects = fleet.disconnects() - disconnectsAtReady;
            Map<Integer, Long> closeCodes = fleet.closeCodes();
            long connectErrors = fleet.connectErrors();
            fleet.close(); // the event loops stop, so the ledger's per-thread state is final
            LedgerSummary summary = ledger.summary();
            if (slowestOut != null) {
                writeSlowest(ledger.slowestDeliveryMicros(), published.published());
            }

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("system", "tidings");
            out.put("scenario", scenario.label());
            out.put("N", clients);
            out.put("groups", population.groups());
            out.put("rate", rate);
            out.put("seconds", seconds);
            out.put("publishPath", publisher.path());
            out.put("loadgenWarmUpSeconds", warmUpLedger != null ? warmUpSeconds : 0);
            out.put("pausedAfterWarmUp", pauseFile != null);
            out.put("error", null);
            out.put("publishAchievedRate", published.achievedRate());
            long lastDelivery = ledger.lastDeliveryNanos();
            out.put("deliveriesPerSec", lastDelivery == 0 ? 0
                    : Math.round(summary.delivered() / ((lastDelivery - published.t0Nanos()) / 1e9)));
            out.put("expected", summary.expected());
            out.put("delivered", summary.delivered());
            out.put("lost", summary.lost());
            out.put("lossPct", summary.lossPercent());
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("p50", summary.latencyMillis(50));
            latency.put("p95", summary.latencyMillis(95));
            latency.put("p99", summary.latencyMillis(99));
            latency.put("max", summary.maxLatencyMillis());
            latency.put("mean", summary.meanLatencyMillis());
            out.put("latencyMs", latency);
            // The latency either side of the frame's publishedAt (milliseconds, so each part is off by up to 1 ms).
            Map<String, Object> split = new LinkedHashMap<>();
            split.put("ingress", LedgerSummary.millis(summary.ingressMicros()));
            split.put("sinceAccepted", LedgerSummary.millis(summary.sinceAcceptedMicros()));
            out.put("latencySplitMs", split);
            // Across a restart the gateways' counters start again: their difference would mean nothing.
            out.put("gatewayLatencyMs", reconnecting != null ? null : gatewayLatency(scrapes0, scrapes2));
            if (reconnecting != null) {
                Map<String, Object> rejoined = new LinkedHashMap<>();
                rejoined.put("disconnects", reconnecting.disconnects());
                rejoined.put("resumes", reconnecting.resumes());
                rejoined.put("notRecovered", reconnecting.notRecovered());
                rejoined.put("replayed", reconnecting.replayed());
                rejoined.put("gaveUp", reconnecting.gaveUp());
                rejoined.put("attempts", fleet.reconnects());
                rejoined.put("attemptsFailed", fleet.reconnectErrors());
                rejoined.put("failures", fleet.reconnectFailures());
                rejoined.put("closedToResumedMs", LedgerSummary.millis(reconnecting.awayMicros()));
                out.put("reconnects", rejoined);
                out.put("catchUpMs", LedgerSummary.millis(summary.catchUpMicros()));
            }
            out.put("connectMs", connected.elapsedMillis());
            out.put("peakRssMB", services.peakRssMib());
            Map<String, Object> heapMb = new LinkedHashMap<>();
            for (int i = 0; i < gatewayActuators.size(); i++) {
                var last = gatewayActuators.get(i).heapUsedBytes();
                long peak = Math.max(heap.peakBytes(i), last.isPresent() ? (long) last.getAsDouble() : -1);
                heapMb.put("node" + (i + 1), peak < 0 ? null : Math.round(peak / 1048576.0));
            }
            out.put("peakHeapMB", heapMb);
            Map<String, Object> cpuPct = new LinkedHashMap<>(
                    Services.cpuPercent(cpu0, cpu1, published.flushedNanos() - published.t0Nanos()));
            cpuPct.put("machineBusyPct", machine1.busyPercentSince(machine0));
            out.put("cpuPctDuringPublish", cpuPct);
            long nodeCpuMicros = 0;
            for (int i = 1; i <= cluster.gateways.size(); i++) {
                Long a = cpu0.get("node" + i);
                Long b = cpu2.get("node" + i);
                if (a != null && b != null && a >= 0 && b >= 0) {
                    nodeCpuMicros += b - a;
                }
            }
            out.put("nodeCpuUsPerDelivery", summary.delivered() == 0 ? null
                    : Math.round(nodeCpuMicros * 10.0 / summary.delivered()) / 10.0);
            out.put("misrouted", summary.misrouted());
            out.put("duplicates", summary.duplicates());
            out.put("reordered", summary.reordered());
            out.put("dupOrReorder", summary.duplicates() + summary.reordered());
            out.put("extra", summary.extra());
            out.put("foreign", summary.foreign());
            out.put("publishErrors", published.errors());
            out.put("disconnectsDuringRun", disconnects);
            out.put("closeCodes", closeCodes);
            out.put("connectErrors", connectErrors);
            out.put("drainMs", lastDelivery == 0 ? null : Math.round((lastDelivery - published.flushedNanos()) / 1e6));
            out.put("publisherSendLagMaxMs", Math.round(published.sendLagMaxMillis() * 100) / 100.0);
            out.put("payloadBytes", publish.payloadBytes);
            Json.printLine(out);
            return 0;
        }
    }

    private void warmUp(Publisher publisher, PublishPlan warmUpPlan, DeliveryLedger warmUpLedger, BenchClock clock,
            String warmUpRunId) throws InterruptedException {
        log("warming up: the same traffic for %ss, not measured (run %s)", fmt(warmUpSeconds), warmUpRunId);
        PublishDriver.Report warmed = publish.driver(publisher, warmUpLedger, clock, warmUpRunId)
                .run(warmUpPlan, rate);
        publish.drain(warmUpLedger, warmed.flushedNanos());
    }

    /** Signals the pause with {@code FILE.paused}, then waits until {@code FILE} exists. */
    private static void awaitResume(Path file) throws IOException, InterruptedException {
        awaitFile(file, ".paused", "paused: every warm-up client closed;");
        log("resumed");
    }

    /** Creates {@code FILE<suffix>} (this process's id in it), then waits until {@code FILE} exists. */
    static void awaitFile(Path file, String suffix, String state) throws IOException, InterruptedException {
        Path signal = file.resolveSibling(file.getFileName() + suffix);
        Files.deleteIfExists(file);
        Files.writeString(signal, Long.toString(ProcessHandle.current().pid()));
        log("%s waiting for %s", state, file);
        long deadline = System.nanoTime() + Duration.ofMinutes(PAUSE_LIMIT_MINUTES).toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(file + " did not appear within " + PAUSE_LIMIT_MINUTES + " min");
            }
            Thread.sleep(100);
        }
    }

    private static List<String> scrape(List<Actuator> actuators) {
        List<String> scrapes = new ArrayList<>();
        for (Actuator actuator : actuators) {
            scrapes.add(actuator.scrape());
        }
        return scrapes;
    }

    /**
     * Where the gateways' part of the latency went during the measured window, over every node: from
     * the records' Kafka timestamps to routed, and to written on the event loops ({@link StageLatency}).
     */
    private static Map<String, Object> gatewayLatency(List<String> before, List<String> after) {
        Map<String, Object> stages = new LinkedHashMap<>();
        for (String stage : List.of("routed", "written")) {
            StageLatency total = StageLatency.empty();
            for (int i = 0; i < before.size(); i++) {
                if (before.get(i) != null && after.get(i) != null) {
                    total = total.plus(StageLatency.parse(after.get(i), stage).minus(StageLatency.parse(before.get(i),
                            stage)));
                }
            }
            stages.put(stage, total.toJson());
        }
        return stages;
    }

    private void errorLine(String error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", "tidings");
        out.put("scenario", scenario.label());
        out.put("N", clients);
        out.put("rate", rate);
        out.put("seconds", seconds);
        out.put("error", error);
        Json.printLine(out);
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** Accepts scenario names in any case. */
    static final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }


    private void writeSlowest(long[] slowestMicros, int published) throws IOException {
        StringBuilder csv = new StringBuilder("seq,dueSecond,slowestMs\n");
        for (int seq = 0; seq < published; seq++) {
            csv.append(seq).append(',').append(String.format(Locale.ROOT, "%.3f", seq / rate)).append(',')
                    .append(String.format(Locale.ROOT, "%.2f", slowestMicros[seq] / 1000.0)).append('\n');
        }
        Files.writeString(slowestOut, csv);
    }
}

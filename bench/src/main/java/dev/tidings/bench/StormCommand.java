package dev.tidings.bench;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tidings.bench.ledger.DeliveryLedger;
import dev.tidings.bench.ledger.LedgerSummary;
import dev.tidings.bench.population.Population;
import dev.tidings.bench.population.PublishPlan;
import dev.tidings.bench.population.TargetMix;
import dev.tidings.bench.probe.Actuator;
import dev.tidings.bench.probe.HeapSampler;
import dev.tidings.bench.probe.MachineCpu;
import dev.tidings.bench.probe.ProcessProbe;
import dev.tidings.bench.probe.Services;
import dev.tidings.bench.publish.PublishDriver;
import dev.tidings.bench.publish.Publisher;
import dev.tidings.bench.storm.ResumeStats;
import dev.tidings.bench.storm.ResumeTracker;
import dev.tidings.bench.ws.ClientFleet;
import dev.tidings.common.auth.TokenIssuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tidings-bench storm}: a reconnect storm after a gateway node dies. N clients connect to
 * the first gateway (the victim) and wait for their welcome; notifications (a seeded mix of user,
 * group and broadcast targets) are published at a fixed rate for the whole run; after a while the
 * victim is found by its listening port and killed ({@code kill -9}). Every client whose
 * connection closes waits a uniform random 0..jitter ms and reconnects to the second gateway (the
 * survivor) with the cursor of the last frame it received; each is timed from the kill to its
 * {@code resumed} frame. Publishing goes on until some seconds after the last client resumed
 * (bounded), then the run drains and the ledger judges every client over all its connections:
 * every acknowledged notification addressed to it must have reached it at least once. Prints one
 * JSON line; exits 0 once it printed its result, 1 when the setup failed (clients did not connect,
 * the victim could not be found or killed).
 */
@Command(name = "storm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reconnect storm: kill -9 the first gateway, its clients resume on the second; resume times and loss.")
final class StormCommand implements Callable<Integer> {

    @Mixin
    BenchOptions cluster = new BenchOptions();

    @Option(names = "--clients", paramLabel = "N", defaultValue = "10000",
            description = "WebSocket clients, all on the victim (the first gateway). Default: ${DEFAULT-VALUE}.")
    int clients = 10000;

    @Option(names = "--group-size", paramLabel = "K", defaultValue = "10", description = "Members per group. Default: ${DEFAULT-VALUE}.")
    int groupSize = 10;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "200",
            description = "Notifications per second, for the whole run. Default: ${DEFAULT-VALUE}.")
    double rate = 200;

    @Option(names = "--mix", paramLabel = "U:G:B", defaultValue = "80:19:1",
            description = "Weights of user, group and broadcast targets. Default: ${DEFAULT-VALUE}.")
    String mix = "80:19:1";

    @Option(names = "--before-kill-seconds", paramLabel = "S", defaultValue = "5",
            description = "Publishing time before the kill. Default: ${DEFAULT-VALUE}.")
    double beforeKillSeconds = 5;

    @Option(names = "--after-resume-seconds", paramLabel = "S", defaultValue = "5",
            description = "Publishing time after the last client resumed. Default: ${DEFAULT-VALUE}.")
    double afterResumeSeconds = 5;

    @Option(names = "--reconnect-jitter-ms", paramLabel = "MS", defaultValue = "1000",
            description = "Each orphaned client waits uniform random 0..MS before reconnecting. Default: ${DEFAULT-VALUE}.")
    long reconnectJitterMillis = 1000;

    @Option(names = "--max-storm-seconds", paramLabel = "S", defaultValue = "120",
            description = "Longest wait from the kill for every client to resume. Default: ${DEFAULT-VALUE}.")
    double maxStormSeconds = 120;

    @Mixin
    PublishOptions publish = new PublishOptions();

    @Option(names = "--reset-peak-rss", description = "Reset the survivor's peak RSS before connecting (for a reused cluster).")
    boolean resetPeakRss;

    @Override
    public Integer call() throws Exception {
        String secret = cluster.secret();
        if (cluster.gateways.size() < 2) {
            throw new IllegalArgumentException("--gateways needs two URLs: the victim, then the survivor");
        }
        URI victim = cluster.gateways.get(0);
        URI survivor = cluster.gateways.get(1);
        if (victim.getPort() == survivor.getPort()) {
            throw new IllegalArgumentException("the victim and the survivor listen on the same port " + victim.getPort());
        }
        if (rate <= 0 || beforeKillSeconds < 0 || afterResumeSeconds < 0 || reconnectJitterMillis < 0
                || maxStormSeconds <= 0) {
            throw new IllegalArgumentException("--rate and --max-storm-seconds must be positive; the other times not negative");
        }
        TargetMix targetMix = TargetMix.parse(mix);
        BenchOptions.requireFileDescriptors(clients);
        Watchdog.start(Duration.ofSeconds((long) (cluster.connectTimeoutSeconds + beforeKillSeconds + maxStormSeconds
                + afterResumeSeconds + publish.drainMaxSeconds + 300)),
                () -> errorLine("watchdog: the storm took too long; aborted"));

        // Every client on the victim; plan enough notifications for the longest possible run.
        Population population = new Population(clients, groupSize, 1);
        int total = (int) Math.ceil(rate * (beforeKillSeconds + maxStormSeconds + afterResumeSeconds)) + 1;
        PublishPlan plan = PublishPlan.mixed(population, total, publish.seed, targetMix);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        BenchClock clock = new BenchClock();
        String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        TokenIssuer issuer = new TokenIssuer(secret);
        Duration tokenTtl = Duration.ofHours(6);

        Services services = Services.byPort(cluster.servicePorts(publish.viaPublisherApi()));
        long victimPid = services.pid("node1");
        long survivorPid = services.pid("node2");
        if (victimPid <= 0 || survivorPid <= 0 || victimPid == survivorPid || victimPid == ProcessProbe.self()) {
            errorLine("cannot tell the victim (port " + victim.getPort() + ", pid " + victimPid + ") and the survivor (port "
                    + survivor.getPort() + ", pid " + survivorPid + ") apart on this machine");
            return 1;
        }
        if (resetPeakRss) {
            ProcessProbe.resetPeakRss(survivorPid);
        }
        Actuator survivorActuator = new Actuator(cluster.gatewayHttp(1));
        BenchCommand.log("storm: %d clients on %s (pid %d), survivor %s (pid %d); %s/s mix %s; kill after %ss, "
                + "jitter %d ms, via %s (run %s)", clients, victim, victimPid, survivor, survivorPid,
                BenchCommand.fmt(rate), targetMix, BenchCommand.fmt(beforeKillSeconds), reconnectJitterMillis,
                publish.route(), runId);

        ResumeTracker tracker = new ResumeTracker(clients, survivor, reconnectJitterMillis,
                () -> ThreadLocalRandom.current().nextDouble());
        ClientFleet.FrameSink sink = (client, frame, nowNanos) -> {
            tracker.onNotification(client, frame);
            if (!runId.equals(frame.run())) {
                ledger.foreign();
                return;
            }
            ledger.delivered(client, frame.seq(), clock.toEpochMicros(nowNanos) - frame.publishedMicros(), nowNanos);
        };
        ClientFleet.Settings fleetSettings = new ClientFleet.Settings(List.of(victim), cluster.connectConcurrency,
                Duration.ofSeconds(cluster.connectTimeoutSeconds), cluster.sourceIps, Duration.ofSeconds(30),
                cluster.ioThreads, true);
        AtomicBoolean stopPublishing = new AtomicBoolean();
        ExecutorService publishThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "bench-publish");
            thread.setDaemon(true);
            return thread;
        });
        try (HeapSampler heap = new HeapSampler(List.of(survivorActuator), 1000);
                ClientFleet fleet = new ClientFleet(fleetSettings, clients,
                        i -> issuer.issue(Population.userId(i), List.of(Population.groupId(population.groupOf(i))),
                                List.of(), tokenTtl), sink, tracker);
                Publisher publisher = publish.openPublisher(cluster.publisher, issuer, tokenTtl)) {
            ClientFleet.ConnectResult connected = fleet.connect(0, clients);
            BenchCommand.log("%d/%d clients welcomed by the victim in %d ms (%d connect errors)", connected.welcomed(),
                    clients, connected.elapsedMillis(), fleet.connectErrors());
            if (connected.welcomed() < clients) {
                errorLine("only " + connected.welcomed() + "/" + clients + " connected after "
                        + connected.elapsedMillis() / 1000 + "s");
                return 1;
            }

            PublishDriver driver = publish.driver(publisher, ledger, clock, runId);
            Future<PublishDriver.Report> publishing = publishThread.submit(
                    () -> driver.run(plan, rate, stopPublishing::get));
            Thread.sleep((long) (beforeKillSeconds * 1000));

            Optional<ProcessHandle> victimProcess = ProcessHandle.of(victimPid);
            if (victimProcess.isEmpty()) {
                errorLine("the victim (pid " + victimPid + ") was gone before the kill");
                return 1;
            }
            long survivorCpu0 = ProcessProbe.cpuMicros(survivorPid);
            Map<String, Long> cpu0 = services.cpuMicros();
            MachineCpu machine0 = MachineCpu.now();
            long killNanos = System.nanoTime();
            tracker.killed(killNanos);
            victimProcess.get().destroyForcibly();
            try {
                victimProcess.get().onExit().get(10, TimeUnit.SECONDS);
            }
            catch (TimeoutException ex) {
                errorLine("the victim (pid " + victimPid + ") was still alive 10 s after kill -9");
                return 1;
            }
            BenchCommand.log("killed the victim (pid %d); %d clients reconnecting to %s", victimPid, clients, survivor);

            long stormDeadline = killNanos + (long) (maxStormSeconds * 1e9);
            int lastReported = -1;
            long nextReport = killNanos + 5_000_000_000L;
            while (!tracker.settled() && System.nanoTime() < stormDeadline) {
                Thread.sleep(10);
                if (System.nanoTime() > nextReport) {
                    nextReport += 5_000_000_000L;
                    if (tracker.resumed() != lastReported) {
                        lastReported = tracker.resumed();
                        BenchCommand.log("%d/%d resumed, %d gave up, %d failed attempts", lastReported, clients,
                                tracker.gaveUp(), fleet.reconnectErrors());
                    }
                }
            }
            long stormEndNanos = System.nanoTime();
            long survivorCpu1 = ProcessProbe.cpuMicros(survivorPid);
            Map<String, Long> cpu1 = services.cpuMicros();
            MachineCpu machine1 = MachineCpu.now();
            long stormWall = stormEndNanos - killNanos;
            BenchCommand.log("%d/%d resumed %d ms after the kill (%d gave up); publishing %ss more", tracker.resumed(),
                    clients, stormWall / 1_000_000, tracker.gaveUp(), BenchCommand.fmt(afterResumeSeconds));

            Thread.sleep((long) (afterResumeSeconds * 1000));
            stopPublishing.set(true);
            PublishDriver.Report published = publishing.get(120, TimeUnit.SECONDS);
            BenchCommand.log("published %d in %.2f s (achieved %.1f/s, %d errors %s); draining", published.published(),
                    (published.lastSendNanos() - published.t0Nanos()) / 1e9, published.achievedRate(),
                    published.errorCount(), published.errors());

            publish.drain(ledger, published.flushedNanos());
            double survivorSessions = survivorActuator.gauge("tidings_gateway_connections").orElse(Double.NaN);
            Map<String, Long> resumesByOutcome = new LinkedHashMap<>();
            survivorActuator.byLabel("tidings_gateway_resumes_total", "outcome")
                    .forEach((outcome, count) -> resumesByOutcome.put(outcome, Math.round(count)));
            long survivorPeakRssKib = ProcessProbe.peakRssKib(survivorPid);
            var survivorHeapNow = survivorActuator.heapUsedBytes();
            long survivorPeakHeap = Math.max(heap.peakBytes(0),
                    survivorHeapNow.isPresent() ? (long) survivorHeapNow.getAsDouble() : -1);
            Map<Integer, Long> closeCodes = fleet.closeCodes();
            long reconnects = fleet.reconnects();
            long reconnectErrors = fleet.reconnectErrors();
            long disconnects = fleet.disconnects();
            fleet.close(); // the event loops stop, so the ledger's and the tracker's per-client state is final
            LedgerSummary summary = ledger.summary();
            ResumeStats storm = tracker.stats();

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("system", "tidings");
            out.put("scenario", "storm");
            out.put("clients", clients);
            out.put("rate", rate);
            out.put("mix", targetMix.toString());
            out.put("reconnectJitterMs", reconnectJitterMillis);
            out.put("publishPath", publisher.path());
            out.put("error", null);
            out.put("killToAllResumedMs", storm.killToAllResumedMs());
            out.put("resumeMs", storm.resumeMillis());
            out.put("closedAfterKillMs", storm.closedMillis());
            out.put("reconnectToResumedMs", storm.reconnectMillis());
            out.put("orphaned", storm.orphaned());
            out.put("resumed", storm.resumed());
            out.put("notResumed", storm.notResumed());
            out.put("recoveredFalse", storm.recoveredFalse());
            out.put("replayed", storm.replayed());
            out.put("reconnects", reconnects);
            out.put("reconnectAttemptsFailed", reconnectErrors);
            out.put("reconnectsGivenUp", storm.gaveUp());
            out.put("expected", summary.expected());
            out.put("delivered", summary.delivered());
            out.put("lost", summary.lost());
            out.put("lossPct", summary.lossPercent());
            out.put("duplicates", summary.duplicates());
            out.put("misrouted", summary.misrouted());
            out.put("extra", summary.extra());
            out.put("foreign", summary.foreign());
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("p50", summary.latencyMillis(50));
            latency.put("p99", summary.latencyMillis(99));
            latency.put("max", summary.maxLatencyMillis());
            out.put("latencyMs", latency);
            out.put("stormWindowMs", stormWall / 1_000_000);
            out.put("survivorCpuPctDuringStorm", survivorCpu0 < 0 || survivorCpu1 < 0 ? null
                    : Math.round((survivorCpu1 - survivorCpu0) * 1000.0 * 100 / stormWall));
            Map<String, Long> others = Services.cpuPercent(cpu0, cpu1, stormWall);
            others.remove("node1");
            others.remove("node2");
            out.put("otherCpuPctDuringStorm", others);
            out.put("machineBusyPct", machine1.busyPercentSince(machine0));
            out.put("survivorPeakHeapMB", survivorPeakHeap < 0 ? null : Math.round(survivorPeakHeap / 1048576.0));
            out.put("survivorPeakRssMB", survivorPeakRssKib < 0 ? null : Math.round(survivorPeakRssKib / 1024.0));
            out.put("survivorConnections", Double.isNaN(survivorSessions) ? null : (long) survivorSessions);
            out.put("survivorResumes", resumesByOutcome);
            out.put("connectMs", connected.elapsedMillis());
            out.put("published", published.published());
            out.put("publishAchievedRate", published.achievedRate());
            out.put("publishErrors", published.errors());
            out.put("disconnects", disconnects);
            out.put("disconnectsBeforeKill", storm.disconnectsBeforeKill());
            out.put("closeCodes", closeCodes);
            long lastDelivery = ledger.lastDeliveryNanos();
            out.put("drainMs", lastDelivery == 0 ? null
                    : Math.max(0, Math.round((lastDelivery - published.flushedNanos()) / 1e6)));
            out.put("payloadBytes", publish.payloadBytes);
            Json.printLine(out);
            return 0;
        }
        finally {
            stopPublishing.set(true);
            publishThread.shutdownNow();
        }
    }

    private void errorLine(String error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", "tidings");
        out.put("scenario", "storm");
        out.put("clients", clients);
        out.put("rate", rate);
        out.put("error", error);
        Json.printLine(out);
    }
}

package dev.tidings.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tidings.bench.probe.MachineCpu;
import dev.tidings.bench.probe.Services;
import dev.tidings.bench.publish.HttpPublisher;
import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tidings-bench publisher}: how many notifications per second the publisher API accepts
 * (202 only after Kafka's acks=all), with single requests at a given concurrency or through the
 * batch endpoint. Notifications go to a user nobody is connected as, so the gateways consume
 * every record but deliver nothing. Prints one JSON line.
 */
@Command(name = "publisher", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publisher API throughput: single requests or batches, at a given concurrency.")
final class PublisherThroughputCommand implements Callable<Integer> {

    private static final Pattern ITEM_STATUS = Pattern.compile("\"status\":(\\d+)");

    @Mixin
    BenchOptions cluster = new BenchOptions();

    @Option(names = "--notifications", paramLabel = "M", defaultValue = "20000",
            description = "Notifications to publish. Default: ${DEFAULT-VALUE}.")
    int notifications = 20000;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32",
            description = "Requests in flight at once. Default: ${DEFAULT-VALUE}.")
    int concurrency = 32;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "1",
            description = "1: POST /api/v1/notifications per notification; more: POST /api/v1/notifications:batch with B each. Default: ${DEFAULT-VALUE}.")
    int batchSize = 1;

    @Option(names = "--payload-bytes", paramLabel = "B", defaultValue = "100", description = "Payload filler length. Default: ${DEFAULT-VALUE}.")
    int payloadBytes = 100;

    @Override
    public Integer call() throws Exception {
        String secret = cluster.secret();
        Watchdog.start(Duration.ofMinutes(15), () -> Json.printLine(Map.of("error", "watchdog: aborted after 15 min")));
        TokenIssuer issuer = new TokenIssuer(secret);
        String token = issuer.issue("tidings-bench", List.of(), List.of(Principal.SCOPE_PUBLISH), Duration.ofHours(1));
        Services services = Services.byPort(cluster.servicePorts(true));
        String pad = "x".repeat(payloadBytes);
        int requests = (notifications + batchSize - 1) / batchSize;
        ConcurrentHistogram latency = new ConcurrentHistogram(60_000_000L, 3);
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        LongAdder accepted = new LongAdder();
        Semaphore permits = new Semaphore(concurrency);
        try (HttpPublisher http = new HttpPublisher(cluster.publisher, token, Duration.ofSeconds(30), concurrency)) {
            // Warm-up: connections, JIT, the producer's metadata; not measured.
            int warm = Math.min(200, requests);
            for (int r = 0; r < warm; r++) {
                send(http, r, pad, new ConcurrentHistogram(60_000_000L, 3), new ConcurrentHashMap<>(), new LongAdder(),
                        permits);
            }
            permits.acquire(concurrency);
            permits.release(concurrency);

            Map<String, Long> cpu0 = services.cpuMicros();
            MachineCpu machine0 = MachineCpu.now();
            long start = System.nanoTime();
            for (int r = 0; r < requests; r++) {
                send(http, r, pad, latency, errors, accepted, permits);
            }
            if (!permits.tryAcquire(concurrency, 120, TimeUnit.SECONDS)) {
                errors.computeIfAbsent("unanswered after 120 s", k -> new LongAdder()).increment();
            }
            long wall = System.nanoTime() - start;
            Map<String, Long> cpu1 = services.cpuMicros();
            MachineCpu machine1 = MachineCpu.now();

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("test", "publisher");
            out.put("endpoint", batchSize == 1 ? "/api/v1/notifications" : "/api/v1/notifications:batch");
            out.put("batchSize", batchSize);
            out.put("concurrency", concurrency);
            out.put("requests", requests);
            out.put("notifications", requests * batchSize);
            out.put("accepted", accepted.sum());
            out.put("seconds", Math.round(wall / 1e7) / 100.0);
            out.put("requestsPerSec", Math.round(requests / (wall / 1e9)));
            out.put("acceptedPerSec", Math.round(accepted.sum() / (wall / 1e9)));
            Map<String, Object> lat = new LinkedHashMap<>();
            for (double p : new double[] {50, 95, 99}) {
                lat.put("p" + (int) p, Math.round(latency.getValueAtPercentile(p) / 10.0) / 100.0);
            }
            lat.put("max", Math.round(latency.getMaxValue() / 10.0) / 100.0);
            out.put("requestLatencyMs", lat);
            Map<String, Long> counted = new TreeMap<>();
            errors.forEach((k, v) -> counted.put(k, v.sum()));
            out.put("errors", counted);
            Map<String, Object> cpu = new LinkedHashMap<>(Services.cpuPercent(cpu0, cpu1, wall));
            cpu.put("machineBusyPct", machine1.busyPercentSince(machine0));
            out.put("cpuPct", cpu);
            Json.printLine(out);
            return counted.isEmpty() ? 0 : 1;
        }
    }

    private void send(HttpPublisher http, int request, String pad, ConcurrentHistogram latency,
            Map<String, LongAdder> errors, LongAdder accepted, Semaphore permits) throws InterruptedException {
        permits.acquire();
        long sent = System.nanoTime();
        String item = "{\"target\":{\"type\":\"user\",\"ids\":[\"bench-nobody\"]},\"event\":\"bench\",\"payload\":{\"seq\":"
                + request + ",\"pad\":\"" + pad + "\"}}";
        CompletableFuture<?> done;
        if (batchSize == 1) {
            done = http.publishJson(item).thenRun(accepted::increment);
        }
        else {
            StringBuilder items = new StringBuilder(item.length() * batchSize + batchSize);
            for (int k = 0; k < batchSize; k++) {
                items.append(k == 0 ? "" : ",").append(item);
            }
            done = http.publishBatch(items.toString()).thenAccept(response -> countBatch(response, accepted, errors));
        }
        done.whenComplete((ok, ex) -> {
            latency.recordValue(Math.min((System.nanoTime() - sent) / 1000, 60_000_000L));
            if (ex != null) {
                Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                String reason = cause instanceof dev.tidings.bench.publish.PublishException p ? p.reason()
                        : cause.getClass().getSimpleName();
                errors.computeIfAbsent(reason, k -> new LongAdder()).increment();
            }
            permits.release();
        });
    }

    private void countBatch(HttpPublisher.Response response, LongAdder accepted, Map<String, LongAdder> errors) {
        if (response.status() != 200) {
            errors.computeIfAbsent("http " + response.status(), k -> new LongAdder()).increment();
            return;
        }
        int failedItems = 0;
        Matcher m = ITEM_STATUS.matcher(response.body());
        while (m.find()) {
            failedItems++;
            errors.computeIfAbsent("item " + m.group(1), k -> new LongAdder()).increment();
        }
        accepted.add(batchSize - failedItems);
    }
}

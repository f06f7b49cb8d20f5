package dev.tidings.bench.publish;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import dev.tidings.bench.BenchClock;
import dev.tidings.bench.ledger.DeliveryLedger;
import dev.tidings.bench.population.PublishPlan;

/**
 * Publishes a plan at a fixed rate: notification {@code s} is due at {@code t0 + s / rate}, and
 * whatever is due is sent at once; when nothing is due the thread sleeps one tick of
 * {@value #TICK_NANOS} ns (like the peer's 5 ms ticks, but finer). At 15,000/s it so wakes a
 * thousand times a second rather than before every notice: the instrument's own scheduling is CPU
 * the measured system does not get. At most {@code concurrency} publishes are in flight; when none
 * is free the schedule slips and the slip shows as send lag. Each payload carries its publish time,
 * taken just before it is sent, so a notice sent up to a tick after it was due is not measured late.
 *
 * <p>Not thread-safe: one driver runs one plan on the calling thread.
 */
public final class PublishDriver {

    /** Sleep between bursts of sends: 1 ms. */
    static final long TICK_NANOS = 1_000_000;

    /** Filler length of every payload, like the peer harness's PAYLOAD_BYTES. */
    public static final int DEFAULT_PAD_BYTES = 100;

    /**
     * What publishing did.
     *
     * @param published notifications sent (acknowledged or not)
     * @param t0Nanos when the first was due
     * @param lastSendNanos when the last was sent
     * @param flushedNanos when the last acknowledgement (or failure) came back
     * @param achievedRate notifications per second over the sending window, as the peer computes it
     * @param sendLagMaxMillis worst lateness of a send against its schedule
     * @param errors failures by reason
     */
    public record Report(int published, long t0Nanos, long lastSendNanos, long flushedNanos, double achievedRate,
            double sendLagMaxMillis, Map<String, Long> errors) {

        /** Failed publishes. */
        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Publisher publisher;
    private final DeliveryLedger ledger;
    private final BenchClock clock;
    private final String runId;
    private final String pad;
    private final int concurrency;

    public PublishDriver(Publisher publisher, DeliveryLedger ledger, BenchClock clock, String runId, int padBytes,
            int concurrency) {
        this.publisher = publisher;
        this.ledger = ledger;
        this.clock = clock;
        this.runId = runId;
        this.pad = "x".repeat(padBytes);
        this.concurrency = concurrency;
    }

    /** The payload of {@code seq}: {@code {"t":<epoch micros>,"seq":n,"run":"...","pad":"..."}}. */
    public static String payload(long publishedMicros, int seq, String runId, String pad) {
        return "{\"t\":" + publishedMicros + ",\"seq\":" + seq + ",\"run\":\"" + runId + "\",\"pad\":\"" + pad + "\"}";
    }

    /** Publishes every notification of {@code plan} at {@code rate} per second, then waits for the last acknowledgement. */
    public Report run(PublishPlan plan, double rate) throws InterruptedException {
        return run(plan, rate, () -> false);
    }

    /**
     * Publishes {@code plan} at {@code rate} per second until it is done or {@code stop} says so
     * (asked before every send), then waits for the last acknowledgement. Sequence numbers never
     * sent stay neither accepted nor failed: the ledger owes nothing for them.
     */
    public Report run(PublishPlan plan, double rate, BooleanSupplier stop) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        int total = plan.total();
        double nanosPerMessage = 1e9 / rate;
        long t0 = System.nanoTime();
        long lagMax = 0;
        long lastSend = t0;
        int seq = 0;
        while (seq < total && !stop.getAsBoolean()) {
            long now = System.nanoTime();
            long due = t0 + (long) (seq * nanosPerMessage);
            if (now < due) {
                LockSupport.parkNanos(TICK_NANOS); // a tick: then everything due by then goes at once
                continue;
            }
            if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                errors.computeIfAbsent("no permit in 30 s", k -> new LongAdder()).increment();
                ledger.failed(seq++);
                continue;
            }
            long sendAt = System.nanoTime();
            lagMax = Math.max(lagMax, sendAt - due);
            final int s = seq;
            publisher.publish(plan, s, payload(clock.toEpochMicros(sendAt), s, runId, pad)).whenComplete((ok, ex) -> {
                if (ex == null) {
                    ledger.accepted(s);
                }
                else {
                    ledger.failed(s);
                    errors.computeIfAbsent(reason(ex), k -> new LongAdder()).increment();
                }
                permits.release();
            });
            lastSend = sendAt;
            seq++;
        }
        // Every permit back means every publish was answered; bounded like everything else.
        if (permits.tryAcquire(concurrency, 60, TimeUnit.SECONDS)) {
            permits.release(concurrency);
        }
        else {
            errors.computeIfAbsent("unanswered after 60 s", k -> new LongAdder()).increment();
        }
        long flushed = System.nanoTime();
        double achieved = seq / ((lastSend - t0) / 1e9 + 1 / rate);
        Map<String, Long> counted = new TreeMap<>();
        errors.forEach((reason, count) -> counted.put(reason, count.sum()));
        return new Report(seq, t0, lastSend, flushed, Math.round(achieved * 100) / 100.0, lagMax / 1e6, counted);
    }

    private static String reason(Throwable ex) {
        Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        return cause instanceof PublishException p ? p.reason() : cause.getClass().getSimpleName();
    }
}

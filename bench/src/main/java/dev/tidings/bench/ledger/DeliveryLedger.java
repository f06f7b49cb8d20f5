package dev.tidings.bench.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import dev.tidings.bench.population.PublishPlan;
import org.HdrHistogram.Histogram;

/**
 * Counts what a run published and what its clients received, and judges every delivery against
 * the {@link PublishPlan}: addressed to this client or misrouted, first copy or duplicate (by
 * notification id per client; every sequence number is published once under one id, so the
 * ledger keys a client's copies by sequence number), and how long it took from publish to
 * delivery. When the frames say when the publisher accepted each notification, that latency is
 * split in two: the ingress (from the publish call to the publisher building the record, once per
 * notification) and the rest (from there to each delivery).
 *
 * <p>Thread-safe: per-client state ({@code seen}, {@code lastSeq}) is touched only by that
 * client's event loop thread (a Netty channel never changes threads; a client that reconnects may
 * land on another loop, but its new connection is started from the old one's close, so the
 * hand-over is ordered and its connections never receive at once); each receiving thread has
 * its own latency histogram; shared counters are striped ({@link LongAdder}, {@link LongAccumulator}).
 * Nothing on the delivery path is a single contended memory word, so the load generator, which
 * shares the machine with the system under test, spends as little CPU per delivery as it can.
 * {@link #summary()} reads the per-client and per-thread state: call it once the receiving
 * threads have stopped (or, in tests, from the thread that recorded).
 */
public final class DeliveryLedger {

    /** Highest latency the histogram tracks: one hour, in microseconds. */
    private static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    /** An ingress that the frame did not give. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private static final byte PENDING = 0;
    private static final byte ACCEPTED = 1;
    private static final byte FAILED = 2;

    private final PublishPlan plan;
    private final AtomicIntegerArray publishState;
    private final AtomicLongArray slowestMicros;
    private final IntSet[] seen;
    private final int[] lastSeq;
    private final List<Histogram> histograms = new ArrayList<>();
    private final ThreadLocal<Histogram> latencyMicros = ThreadLocal.withInitial(() -> newHistogram(histograms));
    /** Per notification, its ingress in microseconds; -1 until a delivery gave it. */
    private final AtomicLongArray ingressMicros;
    private final List<Histogram> sinceAcceptedHistograms = new ArrayList<>();
    private final ThreadLocal<Histogram> sinceAcceptedMicros =
            ThreadLocal.withInitial(() -> newHistogram(sinceAcceptedHistograms));
    private final List<Histogram> catchUpHistograms = new ArrayList<>();
    private final ThreadLocal<Histogram> catchUpMicros = ThreadLocal.withInitial(() -> newHistogram(catchUpHistograms));
    private final LongAdder misrouted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder reordered = new LongAdder();
    private final LongAdder foreign = new LongAdder();
    private final LongAccumulator lastDeliveryNanos = new LongAccumulator(Math::max, 0);
    private final LongAdder deliveries = new LongAdder();

    public DeliveryLedger(PublishPlan plan) {
        this.plan = plan;
        int clients = plan.population().clients();
        this.publishState = new AtomicIntegerArray(plan.total());
        this.slowestMicros = new AtomicLongArray(plan.total());
        this.ingressMicros = new AtomicLongArray(plan.total());
        for (int s = 0; s < plan.total(); s++) {
            ingressMicros.set(s, -1);
        }
        this.seen = new IntSet[clients];
        this.lastSeq = new int[clients];
        for (int i = 0; i < clients; i++) {
            seen[i] = new IntSet();
            lastSeq[i] = -1;
        }
    }

    /** The publisher acknowledged {@code seq} (202, or Kafka's ack in direct mode): it is expected. */
    public void accepted(int seq) {
        publishState.set(seq, ACCEPTED);
    }

    /** Publishing {@code seq} failed: nothing is expected for it. */
    public void failed(int seq) {
        publishState.set(seq, FAILED);
    }

    /**
     * Records one {@code notification} frame received by {@code client}.
     *
     * @param client index of the receiving client
     * @param seq the payload's sequence number
     * @param latency receive time minus the payload's publish time, in microseconds
     * @param nowNanos {@link System#nanoTime()} at receipt
     */
    public void delivered(int client, int seq, long latency, long nowNanos) {
        delivered(client, seq, latency, UNKNOWN, nowNanos);
    }

    /**
     * Records one {@code notification} frame received by {@code client}, with the part of its latency
     * spent before the publisher accepted it.
     *
     * @param client index of the receiving client
     * @param seq the payload's sequence number
     * @param latency receive time minus the payload's publish time, in microseconds
     * @param ingress the frame's acceptance time minus the payload's publish time, in microseconds, or
     *     {@link #UNKNOWN}
     * @param nowNanos {@link System#nanoTime()} at receipt
     */
    public void delivered(int client, int seq, long latency, long ingress, long nowNanos) {
        if (!firstCopy(client, seq)) {
            return;
        }
        long micros = clamp(latency);
        latencyMicros.get().recordValue(micros);
        if (ingress != UNKNOWN) {
            if (ingressMicros.get(seq) < 0) { // read first: a broadcast's recipients would all write one word
                ingressMicros.compareAndSet(seq, -1, clamp(ingress));
            }
            sinceAcceptedMicros.get().recordValue(clamp(latency - ingress));
        }
        if (micros > slowestMicros.get(seq)) {
            slowestMicros.accumulateAndGet(seq, micros, Math::max);
        }
        deliveries.increment();
        lastDeliveryNanos.accumulate(nowNanos);
    }

    /**
     * Records one {@code notification} frame that {@code client} received while catching up after a
     * reconnect (missed while it was away, or held back during its resume): it counts as delivered, and
     * its latency goes to the catch-up distribution, not to the live one nor to the slowest deliveries.
     *
     * @param client index of the receiving client
     * @param seq the payload's sequence number
     * @param latency receive time minus the payload's publish time, in microseconds
     * @param nowNanos {@link System#nanoTime()} at receipt
     */
    public void caughtUp(int client, int seq, long latency, long nowNanos) {
        if (!firstCopy(client, seq)) {
            return;
        }
        catchUpMicros.get().recordValue(clamp(latency));
        deliveries.increment();
        lastDeliveryNanos.accumulate(nowNanos);
    }

    /** Judges a delivery: false for a foreign, misrouted or duplicate one (counted as such). */
    private boolean firstCopy(int client, int seq) {
        if (!plan.contains(seq)) {
            foreign.increment();
            return false;
        }
        if (!plan.addresses(seq, client)) {
            misrouted.increment();
            return false;
        }
        if (!seen[client].add(seq)) {
            duplicates.increment();
            return false;
        }
        if (seq < lastSeq[client]) {
            reordered.increment();
        }
        else {
            lastSeq[client] = seq;
        }
        return true;
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(micros, MAX_LATENCY_MICROS));
    }

    private static Histogram newHistogram(List<Histogram> threads) {
        Histogram histogram = new Histogram(MAX_LATENCY_MICROS, 3);
        synchronized (threads) {
            threads.add(histogram);
        }
        return histogram;
    }

    private static Histogram merged(List<Histogram> threads) {
        Histogram all = new Histogram(MAX_LATENCY_MICROS, 3);
        synchronized (threads) {
            threads.forEach(all::add);
        }
        return all;
    }

    /** A notification frame that does not belong to this run (another publisher, or an older run). */
    public void foreign() {
        foreign.increment();
    }

    /** Correctly routed first copies so far. */
    public long deliveredSoFar() {
        return deliveries.sum();
    }

    /** {@link System#nanoTime()} of the latest delivery, or 0 when none came yet. */
    public long lastDeliveryNanos() {
        return lastDeliveryNanos.get();
    }

    /** Deliveries expected so far: the recipients of every accepted sequence number. */
    public long expectedSoFar() {
        long expected = 0;
        for (int s = 0; s < plan.total(); s++) {
            if (publishState.get(s) == ACCEPTED) {
                expected += plan.recipients(s);
            }
        }
        return expected;
    }

    /**
     * The latency of each notification's slowest delivery so far, in microseconds, by sequence number
     * (0 for one nobody received): when the tail comes from a few notifications that all their
     * recipients got late, this shows which ones, and so when.
     */
    public long[] slowestDeliveryMicros() {
        long[] slowest = new long[slowestMicros.length()];
        for (int i = 0; i < slowest.length; i++) {
            slowest[i] = slowestMicros.get(i);
        }
        return slowest;
    }

    /** The counts and latency distribution; call once the receiving threads have stopped. */
    public LedgerSummary summary() {
        int[] deliveredBySeq = new int[plan.total()];
        for (IntSet set : seen) {
            set.forEach(seq -> deliveredBySeq[seq]++);
        }
        long expected = 0;
        long delivered = 0;
        long lost = 0;
        long extra = 0;
        int accepted = 0;
        int failed = 0;
        int messagesWithLoss = 0;
        for (int s = 0; s < plan.total(); s++) {
            int d = deliveredBySeq[s];
            delivered += d;
            byte state = (byte) publishState.get(s);
            if (state != ACCEPTED) {
                if (state == FAILED) {
                    failed++;
                }
                extra += d; // delivered although the publisher never acknowledged it
                continue;
            }
            accepted++;
            int per = plan.recipients(s);
            expected += per;
            if (d < per) {
                lost += per - d;
                messagesWithLoss++;
            }
            else {
                extra += d - per;
            }
        }
        Histogram ingress = new Histogram(MAX_LATENCY_MICROS, 3);
        for (int s = 0; s < plan.total(); s++) {
            long micros = ingressMicros.get(s);
            if (micros >= 0) {
                ingress.recordValue(micros);
            }
        }
        return new LedgerSummary(accepted, failed, expected, delivered, lost, messagesWithLoss, extra,
                misrouted.sum(), duplicates.sum(), reordered.sum(), foreign.sum(), merged(histograms), ingress,
                merged(sinceAcceptedHistograms), merged(catchUpHistograms));
    }
}

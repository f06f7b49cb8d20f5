package dev.tidings.gateway.session;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * How old a record is when the node reaches a stage of its delivery, measured from its Kafka timestamp
 * (the producer's send time, or the broker's append time on a topic set to log-append time), one
 * {@code tidings.gateway.latency} timer per {@code stage}:
 * <ul>
 * <li>{@code routed}: the consumer has routed the record (the producer, the broker and the fetch);</li>
 * <li>{@code written}: an event loop has written its frame to every addressed session of that loop,
 *     before the flush (the hand-off to the loop, and the writes ahead of it on that loop).</li>
 * </ul>
 * What a client sees on top of {@code written} is the flush and the kernel's delivery to its socket.
 * The histograms are published (Prometheus buckets from 1 ms to 1 min), so quantiles can be taken over
 * every node; records replayed after a restart or an outage count with their true age.
 *
 * <p>Thread-safe: Micrometer timers are.
 */
public final class RecordLatency {

    private final Timer timer;

    private RecordLatency(Timer timer) {
        this.timer = timer;
    }

    /** The timer of one stage. */
    public static RecordLatency of(MeterRegistry meters, String stage) {
        return new RecordLatency(Timer.builder("tidings.gateway.latency").tag("stage", stage)
                .description("From a record's Kafka timestamp to a stage of its delivery on this node")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(meters));
    }

    /**
     * Records the age at {@code nowMillis} of a record stamped {@code timestampMillis}; a record without a
     * timestamp (negative) is not counted, one stamped ahead of this node's clock counts as 0.
     */
    public void record(long timestampMillis, long nowMillis) {
        if (timestampMillis >= 0) {
            timer.record(Math.max(0, nowMillis - timestampMillis), TimeUnit.MILLISECONDS);
        }
    }
}

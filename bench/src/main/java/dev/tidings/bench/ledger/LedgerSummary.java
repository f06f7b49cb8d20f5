package dev.tidings.bench.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What a run's clients received, judged against what was published.
 *
 * @param accepted notifications the publisher acknowledged
 * @param failed notifications the publisher refused or did not acknowledge
 * @param expected deliveries owed: recipients of every accepted notification
 * @param delivered first copies received by a client they were addressed to
 * @param lost owed deliveries that never arrived (before the drain ended)
 * @param messagesWithLoss accepted notifications at least one recipient never got
 * @param extra deliveries beyond what was owed (e.g. of a notification whose publish failed)
 * @param misrouted notifications received by a client they were not addressed to
 * @param duplicates further copies of a notification a client already had
 * @param reordered first copies that arrived after a later sequence number (informational:
 *     Tidings orders per routing key, not across keys)
 * @param foreign notification frames not published by this run
 * @param latencyMicros publish-to-delivery latency of every delivered first copy, in microseconds
 * @param ingressMicros per notification delivered with its acceptance time, from its publish call to the
 *     publisher building its record (the frame's {@code publishedAt}, in milliseconds), in microseconds
 * @param sinceAcceptedMicros per delivered first copy with its acceptance time, from the publisher building
 *     the record to the delivery, in microseconds
 * @param catchUpMicros publish-to-delivery latency of the first copies received while catching up after a
 *     reconnect ({@link DeliveryLedger#caughtUp}), in microseconds; not in {@code latencyMicros}
 */
public record LedgerSummary(int accepted, int failed, long expected, long delivered, long lost,
        int messagesWithLoss, long extra, long misrouted, long duplicates, long reordered, long foreign,
        Histogram latencyMicros, Histogram ingressMicros, Histogram sinceAcceptedMicros, Histogram catchUpMicros) {

    /** Lost deliveries as a percentage of expected ones, two decimals; null when nothing was expected. */
    public @Nullable Double lossPercent() {
        return expected == 0 ? null : Math.round(lost * 10_000.0 / expected) / 100.0;
    }

    /** The latency at {@code percentile} in milliseconds (two decimals), or null without deliveries. */
    public @Nullable Double latencyMillis(double percentile) {
        if (latencyMicros.getTotalCount() == 0) {
            return null;
        }
        return round2(latencyMicros.getValueAtPercentile(percentile) / 1000.0);
    }

    /** The highest latency in milliseconds, or null without deliveries. */
    public @Nullable Double maxLatencyMillis() {
        return latencyMicros.getTotalCount() == 0 ? null : round2(latencyMicros.getMaxValue() / 1000.0);
    }

    /** The mean latency in milliseconds, or null without deliveries. */
    public @Nullable Double meanLatencyMillis() {
        return latencyMicros.getTotalCount() == 0 ? null : round2(latencyMicros.getMean() / 1000.0);
    }

    /**
     * A distribution's p50, p99 and maximum in milliseconds (two decimals), and its count; empty when
     * it has no value.
     */
    public static Map<String, Object> millis(Histogram micros) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (micros.getTotalCount() > 0) {
            out.put("count", micros.getTotalCount());
            out.put("p50", round2(micros.getValueAtPercentile(50) / 1000.0));
            out.put("p99", round2(micros.getValueAtPercentile(99) / 1000.0));
            out.put("max", round2(micros.getMaxValue() / 1000.0));
        }
        return out;
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}

package dev.tidings.bench.ledger;

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
 */
public record LedgerSummary(int accepted, int failed, long expected, long delivered, long lost,
        int messagesWithLoss, long extra, long misrouted, long duplicates, long reordered, long foreign,
        Histogram latencyMicros) {

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

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}

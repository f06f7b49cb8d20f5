package dev.tidings.bench.storm;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * How the clients of a killed node came back.
 *
 * @param clients clients that were on the victim
 * @param orphaned clients whose connection closed after the kill
 * @param resumed clients that got their {@code resumed} frame from the survivor
 * @param notResumed clients that did not (gave up, or still trying when the wait ended)
 * @param gaveUp clients that stopped trying before they resumed (every attempt of a reconnect
 *     failed, or more than {@link ResumeTracker#MAX_RECONNECTS} reconnects)
 * @param recoveredFalse resumes answered {@code recovered:false} (or made without a cursor)
 * @param withoutCursor reconnects made without a cursor (the client had none)
 * @param replayed notifications the survivor replayed, summed over {@code resumed} frames
 * @param disconnectsBeforeKill connections that closed before the kill
 * @param killToAllResumedMs kill to the last client's {@code resumed}; null unless every client resumed
 * @param resumeMicros per client, kill to its {@code resumed}, in microseconds
 * @param closedMicros per orphan, kill to its connection's close as the client saw it
 * @param reconnectMicros per resumed orphan, its first reconnect attempt (after the jitter) to its
 *     {@code resumed}: handshake, replay and any retries
 */
public record ResumeStats(int clients, int orphaned, int resumed, int notResumed, int gaveUp, long recoveredFalse,
        long withoutCursor, long replayed, long disconnectsBeforeKill, @Nullable Long killToAllResumedMs,
        Histogram resumeMicros, Histogram closedMicros, Histogram reconnectMicros) {

    /** {@code {"p50":..,"p95":..,"p99":..,"max":..}} of the resume times in milliseconds; nulls without resumes. */
    public Map<String, @Nullable Long> resumeMillis() {
        return millis(resumeMicros);
    }

    /** The same percentiles of kill to closed connection. */
    public Map<String, @Nullable Long> closedMillis() {
        return millis(closedMicros);
    }

    /** The same percentiles of first reconnect attempt to {@code resumed}. */
    public Map<String, @Nullable Long> reconnectMillis() {
        return millis(reconnectMicros);
    }

    private static Map<String, @Nullable Long> millis(Histogram micros) {
        Map<String, @Nullable Long> out = new LinkedHashMap<>();
        boolean any = micros.getTotalCount() > 0;
        for (int p : new int[] {50, 95, 99}) {
            out.put("p" + p, any ? Math.round(micros.getValueAtPercentile(p) / 1000.0) : null);
        }
        out.put("max", any ? Math.round(micros.getMaxValue() / 1000.0) : null);
        return out;
    }
}

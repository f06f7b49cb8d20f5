package dev.tidings.bench;

/**
 * Wall-clock microseconds derived from {@link System#nanoTime()}: monotonic, finer than
 * {@link System#currentTimeMillis()}, and on the same clock for the publishing thread and the
 * receiving event loops (they share this process), so publish-to-delivery latency needs no
 * cross-process clock agreement.
 *
 * <p>Thread-safe: immutable.
 */
public final class BenchClock {

    private final long originEpochMicros;
    private final long originNanos;

    public BenchClock() {
        this.originEpochMicros = System.currentTimeMillis() * 1000;
        this.originNanos = System.nanoTime();
    }

    /** Microseconds since the epoch, now. */
    public long epochMicros() {
        return toEpochMicros(System.nanoTime());
    }

    /** A {@link System#nanoTime()} reading as microseconds since the epoch. */
    public long toEpochMicros(long nanoTime) {
        return originEpochMicros + (nanoTime - originNanos) / 1000;
    }
}

package dev.tidings.bench.probe;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Samples the used heap of several services every {@code period} and keeps each one's peak.
 *
 * <p>Thread-safe: one sampling thread writes atomics that any thread may read.
 */
public final class HeapSampler implements AutoCloseable {

    private final List<Actuator> services;
    private final AtomicLongArray peak;
    private final AtomicLongArray last;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-heap-sampler");
        thread.setDaemon(true);
        return thread;
    });

    public HeapSampler(List<Actuator> services, long periodMillis) {
        this.services = List.copyOf(services);
        this.peak = new AtomicLongArray(services.size());
        this.last = new AtomicLongArray(services.size());
        for (int i = 0; i < services.size(); i++) {
            peak.set(i, -1);
            last.set(i, -1);
        }
        timer.scheduleWithFixedDelay(this::sample, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        for (int i = 0; i < services.size(); i++) {
            var used = services.get(i).heapUsedBytes();
            if (used.isPresent()) {
                long bytes = (long) used.getAsDouble();
                last.set(i, bytes);
                final long b = bytes;
                peak.accumulateAndGet(i, b, Math::max);
            }
        }
    }

    /** Peak used heap of service {@code i} in bytes, -1 if never read. */
    public long peakBytes(int i) {
        return peak.get(i);
    }

    /** Latest used heap of service {@code i} in bytes, -1 if never read. */
    public long lastBytes(int i) {
        return last.get(i);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

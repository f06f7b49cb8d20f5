package dev.tidings.common.warmup;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where a service's warm-up before readiness is, and what its {@code warmUp} health component says of it: waiting
 * for the service to serve, running (the service is not ready), then done, skipped or failed (ready either way).
 * Shared by the publisher's and the gateways' warm-ups; each runs its own work and reports through one of these.
 *
 * <p>Thread-safe: the warm-up's threads move it on, any thread may read it.
 */
public final class WarmUpProgress {

    /** Where a warm-up is. */
    public enum State {
        /** The service has not started serving yet. */
        WAITING,
        /** Running: the service is not ready. */
        RUNNING,
        /** Ran until the JIT settled, or for its whole duration. */
        DONE,
        /** Did not run (disabled, or the service cannot call itself as its warm-up does); ready at once. */
        SKIPPED,
        /** Stopped early on an error; the service is ready all the same. */
        FAILED
    }

    private final Duration duration;
    private volatile State state = State.WAITING;
    private volatile @Nullable String reason;
    private volatile long startedNanos;
    private volatile long tookMillis;
    private volatile @Nullable JitSettling jit;

    /** @param duration the longest the warm-up may run */
    public WarmUpProgress(Duration duration) {
        this.duration = duration;
    }

    /** Where the warm-up is. */
    public State state() {
        return state;
    }

    /** Did not run, for {@code why}. */
    public void skip(String why) {
        reason = why;
        state = State.SKIPPED;
    }

    /** Runs from now until {@link #finish}. */
    public void begin() {
        startedNanos = System.nanoTime();
        state = State.RUNNING;
    }

    /** When the warm-up must end, in {@link System#nanoTime()}'s terms; meaningful once it began. */
    public long deadlineNanos() {
        return startedNanos + duration.toNanos();
    }

    /** Watches the JIT from the warm-up's start on: its {@link JitSettling#settled()} ends the warm-up. */
    public JitSettling watchJit() {
        JitSettling settling = new JitSettling(startedNanos);
        jit = settling;
        return settling;
    }

    /** Ended: done when {@code failure} is {@code null}, else failed for that reason. */
    public void finish(@Nullable String failure) {
        tookMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        reason = failure;
        state = failure == null ? State.DONE : State.FAILED;
    }

    /** How long the warm-up ran, ms, once it ended. */
    public long tookMillis() {
        return tookMillis;
    }

    /** The JVM's compilation time when the warm-up last looked, ms; -1 before it watched or where not reported. */
    public long compileMillis() {
        JitSettling settling = jit;
        return settling == null ? -1 : settling.compileMillis();
    }

    /** Whether the service is kept out of its readiness group: while the warm-up waits or runs. */
    public boolean holdsReadiness() {
        State now = state;
        return now == State.WAITING || now == State.RUNNING;
    }

    /**
     * The health component's details: {@code state} and {@code duration}; once it began, {@code elapsedMillis},
     * then the warm-up's own {@code counts} and {@code jitCompileMillis}; the {@code reason} it was skipped or
     * failed.
     */
    public Map<String, Object> details(Map<String, Object> counts) {
        State now = state;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", now.name().toLowerCase(Locale.ROOT));
        details.put("duration", duration.toString());
        if (now != State.WAITING && now != State.SKIPPED) {
            details.put("elapsedMillis", now == State.RUNNING ? (System.nanoTime() - startedNanos) / 1_000_000
                    : tookMillis);
            details.putAll(counts);
            details.put("jitCompileMillis", compileMillis());
        }
        String why = reason;
        if (why != null) {
            details.put("reason", why);
        }
        return details;
    }
}

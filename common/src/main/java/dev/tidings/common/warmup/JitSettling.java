package dev.tidings.common.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Whether the JVM's JIT compiler has settled on the work a warm-up runs: at least {@code minDuration} after
 * the warm-up started, its compiler threads together compiled for less than {@code share} of the last
 * {@code window}. A JVM that does not report its compilation time never settles, and a warm-up then runs its
 * whole length.
 *
 * <p>Not thread-safe: one warm-up thread asks; {@link #compileMillis} may be read from any thread.
 */
public final class JitSettling {

    /** The shortest warm-up: time for the JIT to get busy with what the warm-up runs. */
    public static final Duration MIN_DURATION = Duration.ofSeconds(2);
    /** How long the JIT is watched for whether it settled. */
    public static final Duration WINDOW = Duration.ofSeconds(1);
    /** The JIT settled when its compiler threads together compiled for less than this share of a window. */
    public static final double SHARE = 0.05;

    private final @Nullable CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    private final long startedNanos;
    private final long minNanos;
    private final long windowNanos;
    private final double share;
    private long windowStart = System.nanoTime();
    private long compiledAtStart = compiledMillis();
    private volatile long compileMillis = compiledAtStart;

    /** Settling as the warm-ups judge it ({@link #MIN_DURATION}, {@link #WINDOW}, {@link #SHARE}). */
    public JitSettling(long startedNanos) {
        this(startedNanos, MIN_DURATION, WINDOW, SHARE);
    }

    JitSettling(long startedNanos, Duration minDuration, Duration window, double share) {
        this.startedNanos = startedNanos;
        this.minNanos = minDuration.toNanos();
        this.windowNanos = window.toNanos();
        this.share = share;
    }

    /** Whether the JIT has settled; looks at its compilation time once a window has passed since the last look. */
    public boolean settled() {
        long now = System.nanoTime();
        if (now - windowStart < windowNanos) {
            return false;
        }
        long compiled = compiledMillis();
        boolean quiet = compiled >= 0 && compiled - compiledAtStart < share * (now - windowStart) / 1_000_000.0;
        compileMillis = compiled;
        windowStart = now;
        compiledAtStart = compiled;
        return quiet && now - startedNanos >= minNanos;
    }

    /** The JVM's total compilation time when last looked at, ms; -1 where the JVM does not report it. */
    public long compileMillis() {
        return compileMillis;
    }

    private long compiledMillis() {
        return compiler != null && compiler.isCompilationTimeMonitoringSupported()
                ? compiler.getTotalCompilationTime() : -1;
    }
}

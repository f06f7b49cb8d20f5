package dev.tidings.cli.up;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import dev.tidings.cli.process.ChildProcess;
import dev.tidings.cli.process.LogTail;

/**
 * The processes of one {@code tidings up}, in tiers (broker, publisher, gateways): reports a process
 * that dies on its own while the rest keep running, and stops them all in reverse tier order, each
 * tier with SIGTERM first and SIGKILL past a grace period.
 *
 * <p>Thread-safe: the main thread adds processes, exit callbacks run on JDK threads, and
 * {@link #shutdown()} runs from the JVM's shutdown hook; shared state is guarded by {@code this}.
 */
final class Supervisor {

    /** Tier of the broker, stopped last. */
    static final int TIER_BROKER = 0;
    /** Tier of the publisher API. */
    static final int TIER_PUBLISHER = 1;
    /** Tier of the gateways, stopped first. */
    static final int TIER_GATEWAYS = 2;

    private final TreeMap<Integer, List<ChildProcess>> tiers = new TreeMap<>();
    private final List<ChildProcess> started = new ArrayList<>();
    /** Processes whose unexpected exit was reported, so that none is reported twice. */
    private final Set<ChildProcess> reported = new HashSet<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PrintWriter out;
    private final RunFile runFile;
    private final Duration grace;
    private final Function<Path, String> display;
    private boolean watching;
    private boolean shuttingDown;

    /**
     * A supervisor that reports to {@code out}.
     *
     * @param display how to show a log file's path to the user
     */
    Supervisor(PrintWriter out, RunFile runFile, Duration grace, Function<Path, String> display) {
        this.out = out;
        this.runFile = runFile;
        this.grace = grace;
        this.display = display;
    }

    /** Takes charge of a started process; stops it at once if a shutdown already began. */
    void add(int tier, ChildProcess process) {
        synchronized (this) {
            if (!shuttingDown) {
                tiers.computeIfAbsent(tier, t -> new ArrayList<>()).add(process);
                started.add(process);
                runFile.write(started);
                process.onExit().thenRun(() -> exited(process));
                return;
            }
        }
        process.stop(grace);
    }

    /**
     * From now on, report processes that exit on their own (during start-up the waits report them).
     * A process that died after its start-up wait but before this call had its exit ignored: it is
     * reported now, so that a run whose processes are all gone still ends.
     */
    void watch() {
        List<ChildProcess> gone;
        synchronized (this) {
            watching = true;
            gone = started.stream().filter(p -> !p.isAlive()).toList();
        }
        gone.forEach(this::exited);
    }

    synchronized boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Blocks until {@link #shutdown()} finished or every process died on its own. */
    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** Stops every process, gateways first and the broker last; idempotent, later calls wait for the first. */
    void shutdown() {
        TreeMap<Integer, List<ChildProcess>> snapshot;
        synchronized (this) {
            if (shuttingDown) {
                snapshot = null;
            }
            else {
                shuttingDown = true;
                snapshot = new TreeMap<>(tiers);
            }
        }
        if (snapshot == null) {
            awaitStopped();
            return;
        }
        try {
            for (List<ChildProcess> tier : snapshot.descendingMap().values()) {
                stopTier(tier);
            }
            runFile.delete();
            say("Stopped.");
        }
        finally {
            stopped.countDown();
            ended.countDown();
        }
    }

    private void stopTier(List<ChildProcess> tier) {
        List<ChildProcess> alive = tier.stream().filter(ChildProcess::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        say("Stopping " + String.join(", ", alive.stream().map(ChildProcess::toString).toList()) + " ...");
        alive.forEach(ChildProcess::terminate);
        for (ChildProcess process : alive) {
            if (!process.awaitStopped(grace)) {
                say("  " + process.name() + " did not stop within " + grace.toSeconds() + " s: killed (SIGKILL)");
            }
        }
    }

    private void exited(ChildProcess process) {
        boolean report;
        boolean allGone;
        synchronized (this) {
            report = watching && !shuttingDown && !process.stopRequested() && reported.add(process);
            allGone = started.stream().noneMatch(ChildProcess::isAlive);
        }
        if (!report) {
            return;
        }
        int code = process.exitCode();
        StringBuilder message = new StringBuilder()
                .append("! ").append(process).append(" stopped unexpectedly (")
                .append(ChildProcess.describeExit(code)).append(").");
        if (code < 128) {
            // Not killed by a signal: the log probably says why.
            message.append(System.lineSeparator()).append(LogTail.render(process.logFile(), 15));
        }
        else {
            message.append(" Log: ").append(display.apply(process.logFile()));
        }
        message.append(System.lineSeparator()).append(allGone
                ? "! Every process has stopped."
                : "  The others keep running; Ctrl-C stops them.");
        say(message.toString());
        if (allGone) {
            runFile.delete();
            ended.countDown();
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void say(String message) {
        synchronized (out) {
            out.println(message);
            out.flush();
        }
    }
}

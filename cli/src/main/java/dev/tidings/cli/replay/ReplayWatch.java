package dev.tidings.cli.replay;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import dev.tidings.cli.option.DurationFormat;

/**
 * Follows a started replay to its end: polls its progress, shows it on one updating line, and
 * prints the summary. {@link #cancel(Duration)} (Ctrl-C, from the JVM's shutdown hook) asks the
 * publisher to stop the job and waits for the follower to report where it stopped.
 *
 * <p>Thread-safe: one thread calls {@link #follow}, which alone talks to the publisher and prints;
 * any other thread may call {@link #cancel}, which only raises a flag and waits on a latch.
 */
final class ReplayWatch {

    /** How long after the cancel request the job has to report it stopped. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

    private final ReplayClient client;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Duration pollEvery;
    private final Duration wait;
    private final ProgressLine line;
    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    /** Released by a cancel request: cuts the current wait between two polls short, once. */
    private final Semaphore wake = new Semaphore(0);
    /** Counted down once the follower has printed its last line. */
    private final CountDownLatch done = new CountDownLatch(1);
    /** The job as the publisher last reported it to {@link #follow}. */
    private volatile @Nullable ReplayJob last;

    /**
     * A watch that prints to {@code out} (progress, summary) and {@code err} (problems).
     *
     * @param pollEvery time between two progress reads
     * @param wait how long to follow a job before leaving it running
     * @param rewriteLine whether the progress line updates in place (a terminal) or prints each change
     */
    ReplayWatch(ReplayClient client, PrintWriter out, PrintWriter err, Duration pollEvery, Duration wait,
            boolean rewriteLine) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.pollEvery = pollEvery;
        this.wait = wait;
        this.line = new ProgressLine(out, rewriteLine);
    }

    /**
     * Follows {@code started} until it completes, is cancelled or fails, or {@code wait} elapses.
     *
     * @return the exit code: 0 when the job completed, 1 otherwise
     */
    int follow(ReplayJob started) {
        try {
            ReplayJob job = started;
            last = job;
            long deadline = System.nanoTime() + wait.toNanos();
            boolean cancelSent = false;
            if (!job.finished()) {
                out.println((job.dryRun() ? "dry run " : "replay ") + job.id() + " started (notifications published from "
                        + job.from() + " to " + job.to() + "); Ctrl-C cancels it");
                out.flush();
            }
            while (!job.finished()) {
                line.show(ReplayReport.progress(job));
                if (cancelRequested.get() && !cancelSent) {
                    cancelSent = true;
                    deadline = System.nanoTime() + CANCEL_GRACE.toNanos();
                    ReplayClient.Answer answer = client.cancel(job.id());
                    if (!answer.ok()) {
                        line.end();
                        printProblem("cancel", answer);
                        return 1;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    line.end();
                    stillRunning(job, cancelSent);
                    return 1;
                }
                pause();
                ReplayClient.Answer answer = client.get(job.id());
                if (!answer.ok()) {
                    line.end();
                    printProblem("progress", answer);
                    return 1;
                }
                job = ReplayJob.fromJson(answer.body());
                last = job;
            }
            line.end();
            ReplayReport.summary(job).forEach(out::println);
            out.flush();
            return ReplayJob.COMPLETED.equals(job.status()) ? 0 : 1;
        }
        finally {
            release();
        }
    }

    /**
     * Asks the follower to cancel the job and waits up to {@code grace} for it to print where the
     * job stopped. Safe to call before {@link #follow} starts: the job is then cancelled as soon
     * as the publisher has answered the start request.
     */
    void cancel(Duration grace) {
        cancelRequested.set(true);
        wake.release();
        try {
            done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The job as the publisher last reported it while {@link #follow} ran (the started job before any
     * progress was read), or {@code null} before {@link #follow} was called.
     */
    @Nullable ReplayJob last() {
        return last;
    }

    /** Whether a cancel was asked for. */
    boolean cancelRequested() {
        return cancelRequested.get();
    }

    /** Lets a waiting {@link #cancel} return: the command has nothing more to print. */
    void release() {
        done.countDown();
    }

    private void pause() {
        try {
            wake.tryAcquire(pollEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            cancelRequested.set(true);
        }
    }

    private void stillRunning(ReplayJob job, boolean cancelSent) {
        String why = cancelSent ? "did not stop within " + DurationFormat.format(CANCEL_GRACE)
                + " of the cancel request" : "still running after " + DurationFormat.format(wait) + " (--wait)";
        err.println("replay " + job.id() + " " + why + ": " + ReplayReport.progress(job));
        err.println("it goes on at the publisher: GET " + client.job(job.id()) + " shows its progress, DELETE cancels it");
        err.flush();
    }

    private void printProblem(String what, ReplayClient.Answer answer) {
        err.println("replay " + what + " failed: HTTP " + answer.status() + " from " + answer.uri());
        if (!answer.body().isBlank()) {
            err.println(answer.body());
        }
        err.flush();
    }
}

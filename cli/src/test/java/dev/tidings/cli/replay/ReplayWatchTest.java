package dev.tidings.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tidings.cli.replay.FakePublisher.Reply;

class ReplayWatchTest {

    private FakePublisher publisher;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startFakePublisher() throws Exception {
        publisher = FakePublisher.start();
    }

    @AfterEach
    void stopFakePublisher() {
        publisher.close();
    }

    private ReplayWatch watch(Duration wait) {
        ReplayClient client = new ReplayClient(URI.create(publisher.url() + ReplayClient.PATH), "t");
        return new ReplayWatch(client, new PrintWriter(out, true), new PrintWriter(err, true), Duration.ofMillis(20),
                wait, false);
    }

    private static ReplayJob running(String id, boolean dryRun) {
        return ReplayJob.fromJson(FakePublisher.job(id, dryRun, "RUNNING", 0, 0, 0));
    }

    /** Answers RUNNING with growing counts until a DELETE came, CANCELLED after. */
    private void runUntilCancelled(String id) {
        publisher.answer(request -> {
            boolean cancelled = !publisher.requests("DELETE").isEmpty();
            long polls = publisher.requests("GET").size();
            String status = cancelled ? "CANCELLED" : "RUNNING";
            return Reply.json(request.method().equals("DELETE") ? 202 : 200,
                    FakePublisher.job(id, false, status, polls * 100, polls * 10, polls * 5));
        });
    }

    @Test
    void ctrlCSendsDeleteAndReportsWhereTheReplayStopped() throws Exception {
        runUntilCancelled("j-1");
        ReplayWatch watch = watch(Duration.ofMinutes(1));

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> watch.follow(running("j-1", false)));
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.requests("GET").size() >= 3);
        watch.cancel(Duration.ofSeconds(10));

        // cancel() returns once the follower printed its last line; follow() returns right after.
        assertThat(exit).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1);
        assertThat(publisher.requests("DELETE")).hasSize(1)
                .first().extracting(FakePublisher.Recorded::path).isEqualTo("/api/v1/replays/j-1");
        assertThat(out.toString()).contains("replay cancelled: published", "the rest was not replayed");
    }

    @Test
    void aCancelThatCameBeforeTheJobWasKnownIsSentAtOnce() {
        runUntilCancelled("j-2");
        ReplayWatch watch = watch(Duration.ofMinutes(1));
        watch.cancel(Duration.ZERO);

        int exit = watch.follow(running("j-2", false));

        assertThat(exit).isEqualTo(1);
        assertThat(publisher.requests()).first().extracting(FakePublisher.Recorded::method).isEqualTo("DELETE");
        assertThat(out.toString()).contains("replay cancelled");
    }

    @Test
    void leavesTheJobRunningAtThePublisherWhenWaitElapsesAndSaysHowToReachIt() {
        publisher.answer(request -> Reply.json(200, FakePublisher.job("j-3", false, "RUNNING", 5, 1, 0)));

        int exit = watch(Duration.ofMillis(200)).follow(running("j-3", false));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("replay j-3 still running after 200ms (--wait)",
                "GET " + publisher.url() + "/api/v1/replays/j-3 shows its progress, DELETE cancels it");
        assertThat(publisher.requests("DELETE")).as("--wait elapsing does not cancel").isEmpty();
    }

    @Test
    void followsADryRunThePublisherAnsweredBeforeItsScanEnded() {
        publisher.answer(request -> Reply.json(200, FakePublisher.job("j-4", true, "COMPLETED", 90000, 12, 0)));

        int exit = watch(Duration.ofMinutes(1)).follow(running("j-4", true));

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("dry run j-4 started", "dry run: would replay 12 notifications (scanned 90000");
    }

    @Test
    void printsOnlyTheSummaryOfAJobThatHadAlreadyEnded() {
        int exit = watch(Duration.ofMinutes(1))
                .follow(ReplayJob.fromJson(FakePublisher.job("j-5", true, "COMPLETED", 10, 0, 0)));

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).startsWith("dry run: would replay 0 notifications");
        assertThat(publisher.requests()).isEmpty();
    }

    @Test
    void aCancelAfterTheEndReturnsAtOnce() {
        ReplayWatch watch = watch(Duration.ofMinutes(1));
        watch.follow(ReplayJob.fromJson(FakePublisher.job("j-6", true, "COMPLETED", 10, 0, 0)));

        long started = System.nanoTime();
        watch.cancel(Duration.ofSeconds(10));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
    }
}

package dev.tidings.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.tidings.cli.CliRunner;
import dev.tidings.cli.process.Ports;
import dev.tidings.cli.replay.FakePublisher.Reply;
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;

class ReplayCommandTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

    @TempDir
    Path home;

    private FakePublisher publisher;

    @BeforeEach
    void startFakePublisher() throws Exception {
        publisher = FakePublisher.start();
    }

    @AfterEach
    void stopFakePublisher() {
        publisher.close();
    }

    private CliRunner cli() {
        return CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET);
    }

    @Test
    void dryRunPostsTheFilterWithAReplayScopedTokenAndSaysWhatWouldBeReplayed() throws Exception {
        publisher.answer(request -> Reply.json(200, FakePublisher.job("j-1", true, "COMPLETED", 1204, 37, 0)));

        CliRunner.Result result = cli().run("replay", "--from", "2026-01-31T09:00:00Z", "--to", "2026-01-31T10:00:00Z",
                "--group", "Class:201901", "--event", "grade.published", "--dry-run", "--url", publisher.url() + "/");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("dry run: would replay 37 notifications (scanned 1204",
                "without --dry-run");
        assertThat(publisher.requests()).hasSize(1);
        FakePublisher.Recorded post = publisher.requests().get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/api/v1/replays");
        assertThat(post.contentType()).isEqualTo("application/json");
        assertThat(post.body()).isEqualTo("{\"from\":\"2026-01-31T09:00:00Z\",\"to\":\"2026-01-31T10:00:00Z\","
                + "\"target\":{\"type\":\"group\",\"ids\":[\"Class:201901\"]},\"event\":\"grade.published\",\"dryRun\":true}");
        Principal caller = new JwtVerifier(JwtSettings.hmac(SECRET)).verify(post.authorization().substring("Bearer ".length()));
        assertThat(caller.scopes()).containsExactly(Principal.SCOPE_REPLAY);
    }

    @Test
    void resolvesRelativeTimesAgainstOneNowSoTheRangeIsExact() {
        publisher.answer(request -> Reply.json(200, FakePublisher.job("j-1", true, "COMPLETED", 0, 0, 0)));
        Instant before = Instant.now();

        CliRunner.Result result = cli().run("replay", "--from", "-15m", "--all", "--dry-run", "--url", publisher.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode body = ReplayRequest.JSON.readTree(publisher.requests().get(0).body());
        Instant from = Instant.parse(body.path("from").asString());
        Instant to = Instant.parse(body.path("to").asString());
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofMinutes(15));
        assertThat(to).isBetween(before, Instant.now());
        assertThat(body.has("target")).as("--all, no target filter: %s", body).isFalse();
        assertThat(body.path("all").asBoolean()).isTrue();
    }

    @Test
    void followsARealRunUntilItCompletesPrintingProgressAndExitsZero() {
        AtomicInteger polls = new AtomicInteger();
        publisher.answer(request -> switch (request.method()) {
            case "POST" -> request.body().contains("\"dryRun\":true")
                    ? Reply.json(200, FakePublisher.job("d-1", true, "COMPLETED", 1204, 37, 0))
                    : Reply.json(202, FakePublisher.job("j-2", false, "RUNNING", 0, 0, 0));
            case "GET" -> polls.incrementAndGet() < 2
                    ? Reply.json(200, FakePublisher.job("j-2", false, "RUNNING", 600, 20, 10))
                    : Reply.json(200, FakePublisher.job("j-2", false, "COMPLETED", 1204, 37, 37));
            default -> Reply.json(405, "{}");
        });

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--user", "alice", "--url", publisher.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(publisher.requests("POST")).extracting(FakePublisher.Recorded::body).satisfiesExactly(
                dry -> assertThat(dry).contains("\"target\":{\"type\":\"user\",\"ids\":[\"alice\"]}",
                        "\"dryRun\":true"),
                real -> assertThat(real).contains("\"target\":{\"type\":\"user\",\"ids\":[\"alice\"]}",
                        "\"dryRun\":false"));
        assertThat(result.out()).contains("dry run: 37 notifications match (scanned 1204); replaying them now");
        assertThat(result.out().indexOf("dry run: 37")).isLessThan(result.out().indexOf("replay j-2 started"));
        assertThat(publisher.requests("GET")).extracting(FakePublisher.Recorded::path)
                .containsOnly("/api/v1/replays/j-2").hasSize(2);
        assertThat(result.out()).contains("replay j-2 started", "replay running: scanned 0, matched 0, published 0",
                "replay running: scanned 600, matched 20, published 10",
                "replay completed: published 37 of 37 notifications matched (scanned 1204");
        assertThat(publisher.requests("DELETE")).isEmpty();
    }

    @Test
    void exitsNonZeroWhenTheRunFailsAndSaysWhy() {
        publisher.answer(request -> request.method().equals("POST")
                ? dryRunOr(request, Reply.json(202, FakePublisher.job("j-3", false, "RUNNING", 0, 0, 0)))
                : Reply.json(200, FakePublisher.job("j-3", false, "FAILED", 10, 2, 1).replace("}", ",\"error\":\"broker down\"}")));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--all", "--url", publisher.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("replay failed: broker down; published 1 of 2 notifications matched");
    }

    @Test
    void printsTheProblemAndExitsNonZeroWhenThePublisherRefusesTheReplay() {
        publisher.answer(request -> Reply.problem(422, "{\"title\":\"Unprocessable Entity\",\"status\":422,"
                + "\"detail\":\"to must be after from\",\"field\":\"to\"}"));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--all", "--url", publisher.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 422 from " + publisher.url() + "/api/v1/replays", "\"field\":\"to\"");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void hintsAtADifferentSecretWhenTheMintedTokenIsRefused() {
        publisher.answer(request -> Reply.problem(401, "{\"title\":\"Unauthorized\",\"status\":401}"));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--all", "--dry-run", "--url", publisher.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 401", "its own TIDINGS_JWT_SECRET");
    }

    @Test
    void stopsWithTheProblemWhenTheJobDisappearsWhileFollowingIt() {
        publisher.answer(request -> request.method().equals("POST")
                ? dryRunOr(request, Reply.json(202, FakePublisher.job("j-4", false, "RUNNING", 0, 0, 0)))
                : Reply.problem(404, "{\"title\":\"Not Found\",\"status\":404}"));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--all", "--url", publisher.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("replay progress failed: HTTP 404 from " + publisher.url() + "/api/v1/replays/j-4");
    }

    @Test
    void sendsTheGivenTokenAsIsAndTakesTheUrlFromTheEnvironment() {
        publisher.answer(request -> Reply.json(200, FakePublisher.job("j-5", true, "COMPLETED", 0, 0, 0)));

        CliRunner.Result result = CliRunner.in(home).withEnv("TIDINGS_PUBLISHER_URL", publisher.url())
                .run("replay", "--from", "-1h", "--dry-run", "--broadcast", "--token", "given.jwt.token");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(publisher.requests().get(0).authorization()).isEqualTo("Bearer given.jwt.token");
        assertThat(publisher.requests().get(0).body()).contains("\"target\":{\"type\":\"broadcast\"}");
    }

    @Test
    void refusesBadTimesAndTwoTargetsBeforeSendingAnything() {
        CliRunner.Result badTime = cli().run("replay", "--from", "yesterday", "--url", publisher.url());
        CliRunner.Result backwards = cli().run("replay", "--from", "-1h", "--to", "-2h", "--url", publisher.url());
        CliRunner.Result twoTargets = cli().run("replay", "--from", "-1h", "--user", "a", "--broadcast", "--url",
                publisher.url());
        CliRunner.Result noFrom = cli().run("replay", "--url", publisher.url());

        assertThat(badTime.exitCode()).isEqualTo(1);
        assertThat(badTime.err()).contains("tidings replay: --from 'yesterday' is not a time");
        assertThat(backwards.exitCode()).isEqualTo(1);
        assertThat(backwards.err()).contains("must be after --from");
        assertThat(twoTargets.exitCode()).isEqualTo(2);
        assertThat(twoTargets.err()).contains("mutually exclusive");
        assertThat(noFrom.exitCode()).isEqualTo(2);
        assertThat(noFrom.err()).contains("--from");
        assertThat(publisher.requests()).as("nothing was sent").isEmpty();
    }

    @Test
    void aReplayWithoutATargetNeedsAllAndSendsNothingWithoutIt() {
        publisher.answer(request -> dryRunOr(request, Reply.json(202, FakePublisher.job("j-6", false, "COMPLETED", 5, 5, 5))));

        CliRunner.Result untargeted = cli().run("replay", "--from", "-1h", "--url", publisher.url());
        CliRunner.Result countOnly = cli().run("replay", "--from", "-1h", "--dry-run", "--url", publisher.url());

        assertThat(untargeted.exitCode()).isEqualTo(1);
        assertThat(untargeted.err()).contains("reaches every client", "--all");
        assertThat(countOnly.exitCode()).isEqualTo(1);
        assertThat(publisher.requests()).as("nothing was sent").isEmpty();

        CliRunner.Result all = cli().run("replay", "--from", "-1h", "--all", "--url", publisher.url());

        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(publisher.requests("POST")).extracting(FakePublisher.Recorded::body)
                .allSatisfy(body -> assertThat(body).contains("\"all\":true").doesNotContain("\"target\""));
    }

    @Test
    void aRealRunWhoseDryRunMatchesNothingReplaysNothing() {
        publisher.answer(request -> Reply.json(200, FakePublisher.job("d-0", true, "COMPLETED", 12, 0, 0)));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--user", "alice", "--url", publisher.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("dry run: 0 notifications match", "nothing to replay");
        assertThat(publisher.requests("POST")).hasSize(1);
    }

    @Test
    void jsonPrintsOnlyTheFinishedJobOnStdoutAndTheProgressOnStderr() {
        AtomicInteger polls = new AtomicInteger();
        publisher.answer(request -> switch (request.method()) {
            case "POST" -> dryRunOr(request, Reply.json(202, FakePublisher.job("j-7", false, "RUNNING", 0, 0, 0)));
            case "GET" -> polls.incrementAndGet() < 2
                    ? Reply.json(200, FakePublisher.job("j-7", false, "RUNNING", 10, 1, 0))
                    : Reply.json(200, FakePublisher.job("j-7", false, "COMPLETED", 20, 2, 2));
            default -> Reply.json(405, "{}");
        });

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--group", "Class:201901", "--json", "--url",
                publisher.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines()).as("stdout: %s", result.out()).hasSize(1);
        JsonNode job = ReplayRequest.JSON.readTree(result.out());
        assertThat(job.path("id").asString()).isEqualTo("j-7");
        assertThat(job.path("dryRun").asBoolean()).isFalse();
        assertThat(job.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(job.path("scanned").asLong()).isEqualTo(20);
        assertThat(job.path("matched").asLong()).isEqualTo(2);
        assertThat(job.path("published").asLong()).isEqualTo(2);
        assertThat(job.path("from").asString()).isEqualTo("2026-01-31T09:00:00Z");
        assertThat(job.path("to").asString()).isEqualTo("2026-01-31T10:00:00Z");
        assertThat(job.path("truncated").asBoolean()).isFalse();
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(result.err()).contains("dry run: 2 notifications match", "replay j-7 started",
                "replay completed: published 2 of 2");
    }

    @Test
    void jsonOfADryRunIsTheCountedJob() {
        publisher.answer(request -> Reply.json(200, FakePublisher.job("d-8", true, "COMPLETED", 1204, 37, 0)));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--all", "--dry-run", "--json", "--url",
                publisher.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode job = ReplayRequest.JSON.readTree(result.out());
        assertThat(job.path("id").asString()).isEqualTo("d-8");
        assertThat(job.path("dryRun").asBoolean()).isTrue();
        assertThat(job.path("matched").asLong()).isEqualTo(37);
        assertThat(result.err()).contains("dry run: would replay 37 notifications");
    }

    @Test
    void jsonOfAFailedRunCarriesTheErrorAndExitsNonZero() {
        publisher.answer(request -> request.method().equals("POST")
                ? dryRunOr(request, Reply.json(202, FakePublisher.job("j-9", false, "RUNNING", 0, 0, 0)))
                : Reply.json(200, FakePublisher.job("j-9", false, "FAILED", 10, 2, 1).replace("}", ",\"error\":\"broker down\"}")));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--all", "--json", "--url", publisher.url());

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode job = ReplayRequest.JSON.readTree(result.out());
        assertThat(job.path("status").asString()).isEqualTo("FAILED");
        assertThat(job.path("error").asString()).isEqualTo("broker down");
        assertThat(job.path("published").asLong()).isEqualTo(1);
    }

    @Test
    void jsonOfARunWhoseDryRunMatchesNothingIsThatDryRun() {
        publisher.answer(request -> Reply.json(200, FakePublisher.job("d-0", true, "COMPLETED", 12, 0, 0)));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--user", "alice", "--json", "--url",
                publisher.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode job = ReplayRequest.JSON.readTree(result.out());
        assertThat(job.path("id").asString()).isEqualTo("d-0");
        assertThat(job.path("matched").asLong()).isZero();
        assertThat(result.err()).contains("nothing to replay");
    }

    @Test
    void jsonPrintsNothingOnStdoutWhenThePublisherRefusesTheReplay() {
        publisher.answer(request -> Reply.problem(422, "{\"title\":\"Unprocessable Entity\",\"status\":422}"));

        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--all", "--json", "--url", publisher.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("HTTP 422");
    }

    /** A completed dry run for a dry-run POST, else {@code real}. */
    private static Reply dryRunOr(FakePublisher.Recorded request, Reply real) {
        return request.body().contains("\"dryRun\":true")
                ? Reply.json(200, FakePublisher.job("d-1", true, "COMPLETED", 20, 2, 0)) : real;
    }

    @Test
    void saysThePublisherIsUnreachableWhenNothingListens() {
        CliRunner.Result result = cli().run("replay", "--from", "-1h", "--all", "--url",
                "http://127.0.0.1:" + Ports.freePort());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("refused the connection", "is `tidings up` running");
    }
}

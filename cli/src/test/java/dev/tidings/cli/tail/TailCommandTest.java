package dev.tidings.cli.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tidings.cli.CliRunner;
import dev.tidings.cli.process.Ports;
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;

class TailCommandTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

    @TempDir
    Path home;

    private FakeGateway gateway;

    @BeforeEach
    void startFakeGateway() throws Exception {
        gateway = FakeGateway.start();
    }

    @AfterEach
    void stopFakeGateway() throws Exception {
        gateway.close();
    }

    private CliRunner cli() {
        return CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET);
    }

    private CompletableFuture<CliRunner.Result> runInBackground(CliRunner cli, String... args) {
        CompletableFuture<CliRunner.Result> result = CompletableFuture.supplyAsync(() -> cli.run(args));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.connected() || result.isDone());
        return result;
    }

    @Test
    void printsEveryFrameAsOneCompactJsonLineAndExitsZeroOnANormalClose() throws Exception {
        CompletableFuture<CliRunner.Result> running = runInBackground(cli(), "tail", "--user", "alice", "--groups",
                "Class:201901,Club", "--url", gateway.url());

        gateway.sendText("{\n  \"type\": \"welcome\",\n  \"node\": \"gw-1\",\n  \"cursor\": \"c0\"\n}");
        gateway.sendText("{\"type\":\"notification\",\"id\":\"n-1\",\"event\":\"grade.published\","
                + "\"payload\":{\"grade\":\"A\"},\"target\":{\"type\":\"group\",\"ids\":[\"Class:201901\"]},"
                + "\"publishedAt\":\"2026-01-31T09:00:00Z\",\"cursor\":\"c1\"}");
        gateway.sendClose(1000, "bye");
        CliRunner.Result result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines()).containsExactly(
                "{\"type\":\"welcome\",\"node\":\"gw-1\",\"cursor\":\"c0\"}",
                "{\"type\":\"notification\",\"id\":\"n-1\",\"event\":\"grade.published\",\"payload\":{\"grade\":\"A\"},"
                        + "\"target\":{\"type\":\"group\",\"ids\":[\"Class:201901\"]},"
                        + "\"publishedAt\":\"2026-01-31T09:00:00Z\",\"cursor\":\"c1\"}");
        assertThat(result.err()).contains("connected to " + gateway.url(), "closed the connection: 1000 bye (normal close)");
        assertThat(gateway.requestTarget()).isEqualTo("/ws");
        Principal user = new JwtVerifier(JwtSettings.hmac(SECRET))
                .verify(gateway.header("Authorization").substring("Bearer ".length()));
        assertThat(user.userId()).isEqualTo("alice");
        assertThat(user.groups()).containsExactlyInAnyOrder("Class:201901", "Club");
        assertThat(user.scopes()).isEmpty();
    }

    @Test
    void printsTheCloseCodeAndReasonAndExitsNonZeroWhenTheGatewayClosesForAnotherReason() throws Exception {
        CompletableFuture<CliRunner.Result> running = runInBackground(cli(), "tail", "--user", "alice", "--url",
                gateway.url());

        gateway.sendClose(1008, "token expired");
        CliRunner.Result result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("the gateway closed the connection: 1008 token expired (policy violation: "
                + "bad or expired token)");
        assertThat(gateway.clientClose().get(5, TimeUnit.SECONDS)).as("the client answered the close").isEqualTo(1008);
    }

    @Test
    void resumesFromTheCursorGivenSendingItUrlEncodedWithTheGivenToken() throws Exception {
        CompletableFuture<CliRunner.Result> running = runInBackground(CliRunner.in(home), "tail", "--token", "given.jwt",
                "--cursor", "v1:abc+/=", "--url", gateway.url());

        gateway.sendClose(1000, "");
        CliRunner.Result result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(gateway.requestTarget()).isEqualTo("/ws?cursor=v1%3Aabc%2B%2F%3D");
        assertThat(gateway.header("Authorization")).isEqualTo("Bearer given.jwt");
    }

    @Test
    void saysTheTokenWasRefusedWhenTheHandshakeIsAnswered401() {
        gateway.refusingWith(401);

        CliRunner.Result result = cli().run("tail", "--user", "alice", "--url", gateway.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("refused the WebSocket handshake with HTTP 401", "token was refused");
    }

    @Test
    void saysTheGatewayIsUnreachableWhenNothingListens() {
        CliRunner.Result result = cli().run("tail", "--url", "ws://127.0.0.1:" + Ports.freePort() + "/ws");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot reach the gateway", "is `tidings up` running");
    }

    @Test
    void buildsTheWebSocketUrlFromWhatTheUserWrote() {
        assertThat(endpoint(cli())).isEqualTo("ws://127.0.0.1:8081/ws");
        assertThat(endpoint(cli().withEnv("TIDINGS_GATEWAY_URL", "ws://10.0.0.5:9000/ws"))).isEqualTo("ws://10.0.0.5:9000/ws");
        assertThat(endpoint(cli(), "--url", "http://127.0.0.1:8082")).isEqualTo("ws://127.0.0.1:8082/ws");
        assertThat(endpoint(cli(), "--url", "https://gw.example.org/")).isEqualTo("wss://gw.example.org/ws");
        assertThat(endpoint(cli(), "--url", "wss://gw.example.org/tidings/ws?region=eu", "--cursor", "c 1"))
                .isEqualTo("wss://gw.example.org/tidings/ws?region=eu&cursor=c+1");
    }

    @Test
    void refusesAUrlThatIsNotAWebSocketOne() {
        CliRunner.Result result = cli().run("tail", "--url", "ftp://127.0.0.1/ws");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("--url 'ftp://127.0.0.1/ws' is not a WebSocket URL");
    }

    private static String endpoint(CliRunner cli, String... args) {
        TailCommand command = new TailCommand(cli.workspace());
        new picocli.CommandLine(command).parseArgs(args);
        return command.endpoint().toString();
    }
}

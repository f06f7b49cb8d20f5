package dev.tidings.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.tidings.cli.CliRunner;
import dev.tidings.cli.process.Ports;
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;

class PublishCommandTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

    @TempDir
    Path home;

    private HttpServer publisher;
    private final AtomicReference<Recorded> received = new AtomicReference<>();
    private volatile int status = 202;
    private volatile String contentType = "application/json";
    private volatile String answer = "{\"id\":\"n-1\",\"partition\":3,\"offset\":1042}";

    /** What the fake publisher received. */
    record Recorded(String method, String path, String authorization, String contentType, String body) {
    }

    @BeforeEach
    void startFakePublisher() throws IOException {
        publisher = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        publisher.createContext("/", this::handle);
        publisher.start();
    }

    @AfterEach
    void stopFakePublisher() {
        publisher.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        received.set(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + publisher.getAddress().getPort() + "/";
    }

    private CliRunner cli() {
        return CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET);
    }

    @Test
    void postsTheNotificationWithAPublishScopedTokenAndPrintsTheAcknowledgement() throws Exception {
        CliRunner.Result result = cli().run("publish", "--group", "Class:201901", "--event", "grade.published",
                "--payload", "{\"grade\":\"A\"}", "--id", "grade-42", "--ttl-seconds", "3600", "--url", url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().strip()).isEqualTo("{\"id\":\"n-1\",\"partition\":3,\"offset\":1042}");
        Recorded request = received.get();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/notifications");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo("{\"id\":\"grade-42\",\"target\":{\"type\":\"group\",\"ids\":[\"Class:201901\"]},"
                + "\"event\":\"grade.published\",\"payload\":{\"grade\":\"A\"},\"ttlSeconds\":3600}");
        assertThat(request.authorization()).startsWith("Bearer ");
        Principal caller = new JwtVerifier(JwtSettings.hmac(SECRET)).verify(request.authorization().substring(7));
        assertThat(caller.hasScope(Principal.SCOPE_PUBLISH)).as("minted token scopes: %s", caller.scopes()).isTrue();
    }

    @Test
    void sendsTheGivenTokenAsIsAndNeedsNoSecretThen() {
        CliRunner.Result result = CliRunner.in(home)
                .run("publish", "--broadcast", "--event", "maintenance", "--token", "given.jwt.token", "--url", url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(received.get().authorization()).isEqualTo("Bearer given.jwt.token");
        assertThat(received.get().body()).isEqualTo("{\"target\":{\"type\":\"broadcast\"},\"event\":\"maintenance\",\"payload\":{}}");
    }

    @Test
    void takesTheUrlFromTheEnvironmentWhenNotGiven() {
        CliRunner.Result result = cli().withEnv("TIDINGS_PUBLISHER_URL", url())
                .run("publish", "--user", "alice,bob", "--event", "message.received");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(received.get().body()).contains("{\"type\":\"user\",\"ids\":[\"alice\",\"bob\"]}");
    }

    @Test
    void printsTheProblemDetailsAndExitsNonZeroWhenThePublisherRefuses() {
        status = 422;
        contentType = "application/problem+json";
        answer = "{\"type\":\"about:blank\",\"title\":\"Unprocessable Entity\",\"status\":422,\"field\":\"event\"}";

        CliRunner.Result result = cli().run("publish", "--broadcast", "--event", "x", "--url", url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("HTTP 422", "\"field\":\"event\"");
    }

    @Test
    void hintsAtADifferentSecretWhenTheMintedTokenIsRejected() {
        status = 401;
        contentType = "application/problem+json";
        answer = "{\"title\":\"Unauthorized\",\"status\":401}";

        CliRunner.Result result = cli().run("publish", "--broadcast", "--event", "x", "--url", url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 401", "its own TIDINGS_JWT_SECRET");
    }

    @Test
    void saysThePublisherIsUnreachableWhenNothingListens() {
        int closedPort = Ports.freePort();

        CliRunner.Result result = cli().run("publish", "--broadcast", "--event", "x",
                "--url", "http://127.0.0.1:" + closedPort);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot reach the publisher", "is `tidings up` running");
    }

    @Test
    void requiresExactlyOneTargetAndAnEvent() {
        CliRunner.Result none = cli().run("publish", "--event", "x", "--url", url());
        CliRunner.Result two = cli().run("publish", "--broadcast", "--user", "alice", "--event", "x", "--url", url());
        CliRunner.Result noEvent = cli().run("publish", "--broadcast", "--url", url());

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--broadcast", "--user", "--group");
        assertThat(two.exitCode()).isEqualTo(2);
        assertThat(two.err()).contains("mutually exclusive");
        assertThat(noEvent.exitCode()).isEqualTo(2);
        assertThat(noEvent.err()).contains("--event");
        assertThat(received.get()).as("nothing was sent").isNull();
    }

    @Test
    void refusesAnInvalidPayloadBeforeSendingAnything() {
        CliRunner.Result result = cli().run("publish", "--broadcast", "--event", "x", "--payload", "grade=A",
                "--url", url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("--payload is not valid JSON");
        assertThat(received.get()).isNull();
    }
}

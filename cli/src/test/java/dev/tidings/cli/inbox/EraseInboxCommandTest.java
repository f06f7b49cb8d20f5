package dev.tidings.cli.inbox;

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
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;

class EraseInboxCommandTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

    @TempDir
    Path home;

    private HttpServer gateway;
    private final AtomicReference<String> request = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private volatile int status = 202;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", this::handle);
        gateway.start();
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        request.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
        authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
        byte[] body = (status == 202 ? "{\"erased\":\"al ice\"}" : "{\"error\":\"no\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private CliRunner cli() {
        return CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET);
    }

    private String url() {
        return "http://127.0.0.1:" + gateway.getAddress().getPort();
    }

    @Test
    void deletesTheUsersInboxWithAnInboxAdminTokenAndPrintsTheAnswer() throws Exception {
        CliRunner.Result result = cli().run("erase-inbox", "--user", "al ice", "--url", url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().strip()).isEqualTo("{\"erased\":\"al ice\"}");
        assertThat(request.get()).isEqualTo("DELETE /api/v1/inbox/al%20ice");
        Principal principal = new JwtVerifier(JwtSettings.hmac(SECRET))
                .verify(authorization.get().substring("Bearer ".length()));
        assertThat(principal.scopes()).containsExactly(Principal.SCOPE_INBOX_ADMIN);
    }

    @Test
    void aRefusalIsReportedWithItsStatusAndExitCodeOne() {
        status = 403;

        CliRunner.Result result = cli().run("erase-inbox", "--user", "alice", "--url", url(), "--token", "t");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 403").contains("{\"error\":\"no\"}");
        assertThat(authorization.get()).isEqualTo("Bearer t");
    }
}

package dev.tidings.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.netty.http.server.WebsocketServerSpec;

/** The handshake's refusals, each before any connection is upgraded (the upgrade itself is proven end to end). */
class GatewayEndpointTest {

    static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    final GracefulShutdown shutdown = mock(GracefulShutdown.class);
    final GatewayEndpoint endpoint = new GatewayEndpoint(shutdown, new JwtVerifier(JwtSettings.hmac(SECRET)),
            List.of("https://app.example"), WebsocketServerSpec.builder().build(), null);
    final String token = new TokenIssuer(SECRET).issue("alice", Set.of(), Set.of(), Duration.ofMinutes(5));

    @Test
    void aNodeShuttingDownAnswers503AndAsksTheClientToRetryElsewhereAtOnce() {
        when(shutdown.isDraining()).thenReturn(true);

        MockServerWebExchange exchange = handshake(upgrade("/ws?access_token=" + token));

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(503);
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }

    @Test
    void aRequestThatIsNotAWebSocketUpgradeGets400() {
        MockServerWebExchange exchange = handshake(MockServerHttpRequest.get("/ws?access_token=" + token));

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void anOriginOutsideTheAllowListGets403EvenWithAGoodToken() {
        MockServerWebExchange exchange = handshake(
                upgrade("/ws?access_token=" + token).header("Origin", "https://evil.example"));

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(403);
    }

    @Test
    void aMissingTokenGets401WithABearerChallenge() {
        MockServerWebExchange exchange = handshake(upgrade("/ws").header("Origin", "https://app.example"));

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(401);
        assertThat(exchange.getResponse().getHeaders().getFirst("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void aTokenSignedWithAnotherSecretGets401InTheQueryAndInTheHeader() {
        String forged = new TokenIssuer("another-secret-of-at-least-thirty-two-bytes").issue("alice", Set.of(),
                Set.of(), Duration.ofMinutes(5));

        assertThat(handshake(upgrade("/ws?access_token=" + forged)).getResponse().getStatusCode().value())
                .isEqualTo(401);
        assertThat(handshake(upgrade("/ws").header("Authorization", "Bearer " + forged)).getResponse()
                .getStatusCode().value()).isEqualTo(401);
    }

    private static MockServerHttpRequest.BaseBuilder<?> upgrade(String uri) {
        return MockServerHttpRequest.get("http://127.0.0.1:8081" + uri).header("Upgrade", "websocket")
                .header("Connection", "Upgrade");
    }

    private MockServerWebExchange handshake(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        endpoint.handle(exchange).block(Duration.ofSeconds(5));
        return exchange;
    }
}

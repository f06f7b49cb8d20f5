package dev.tidings.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.gateway.access.Handshakes;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.resources.LoopResources;

/** The handshake's refusals, each before any connection is upgraded (the upgrade itself is proven end to end). */
class GatewayEndpointTest {

    static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    final GracefulShutdown shutdown = mock(GracefulShutdown.class);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Handshakes handshakes = new Handshakes(List.of("https://app.example"), Duration.ofSeconds(5),
            meters.counter("stale"));
    final GatewayEndpoint endpoint = new GatewayEndpoint(shutdown, new JwtVerifier(JwtSettings.hmac(SECRET)),
            handshakes, WebsocketServerSpec.builder().build(), null);
    final String token = new TokenIssuer(SECRET).issue("alice", Set.of(), Set.of(), Duration.ofMinutes(5));

    @Test
    void aNodeShuttingDownAnswers503AndAsksTheClientToRetryElsewhereAtOnce() {
        when(shutdown.isDraining()).thenReturn(true);

        MockServerWebExchange exchange = handshake(upgrade("/ws?access_token=" + token));

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(503);
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }

    @Test
    void aHandshakeWhoseRequestWaitedOnABusyNodePastTheMaxWaitGets503BeforeItsTokenIsChecked() throws Exception {
        Counter stale = meters.counter("stale.real");
        GatewayEndpoint impatient = new GatewayEndpoint(shutdown, new JwtVerifier(JwtSettings.hmac(SECRET)),
                new Handshakes(List.of(), Duration.ofMillis(300), stale), WebsocketServerSpec.builder().build(),
                null);
        LoopResources loops = LoopResources.create("handshake-wait", 1, 1, true);
        HttpHandler http = WebHttpHandlerBuilder.webHandler(impatient).build();
        DisposableServer server = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .runOn(loops).handle(new ReactorHttpHandlerAdapter(http)).bindNow();
        try {
            assertThat(server.channel()).as("the wait is read from epoll's TCP_INFO")
                    .isInstanceOf(io.netty.channel.epoll.EpollServerSocketChannel.class);
            // The node's only event loop is busy for 800 ms while the request waits in the kernel.
            loops.onServer(true).next().execute(() -> {
                try {
                    Thread.sleep(800);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            String waited = rawHandshake(server.port(), "a-forged-token");
            String fresh = rawHandshake(server.port(), "a-forged-token");

            assertThat(waited).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1");
            assertThat(fresh).as("served at once, so its token is checked").startsWith("HTTP/1.1 401");
            assertThat(stale.count()).isEqualTo(1);
        }
        finally {
            server.disposeNow();
            loops.dispose();
        }
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

    @Test
    void aJwksVerificationWithAColdCacheDoesNotHoldTheCallingThreadWhileTheKeysAreFetched() throws Exception {
        RSAKey published = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger served = new AtomicInteger();
        HttpServer issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.setExecutor(Executors.newCachedThreadPool());
        issuer.createContext("/jwks", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            byte[] body = new JWKSet(published.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            served.incrementAndGet();
        });
        issuer.start();
        try {
            JwtVerifier jwks = new JwtVerifier(new JwtSettings(List.of(),
                    URI.create("http://127.0.0.1:" + issuer.getAddress().getPort() + "/jwks"), null, null,
                    Duration.ofSeconds(30)));
            GatewayEndpoint remote = new GatewayEndpoint(shutdown, jwks, handshakes,
                    WebsocketServerSpec.builder().build(), null);
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                    new JWTClaimsSet.Builder().subject("alice")
                            .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
            forged.sign(new RSASSASigner(other));
            MockServerWebExchange exchange = MockServerWebExchange.from(
                    upgrade("/ws?access_token=" + forged.serialize()));

            CompletableFuture<Void> done = remote.handle(exchange).toFuture();

            // The caller (an event loop in production) got its thread back before the issuer answered.
            assertThat(served).hasValue(0);
            assertThat(done).isNotDone();
            release.countDown();
            done.get(10, TimeUnit.SECONDS);
            assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(401);
            assertThat(served).hasValue(1);
        }
        finally {
            release.countDown();
            issuer.stop(0);
        }
    }

    @Test
    void anUpgradedConnectionKeepsNoHandshakeHeadersAndStillExchangesFrames() {
        AtomicInteger requestHeaders = new AtomicInteger(-1);
        AtomicInteger responseHeaders = new AtomicInteger(-1);
        DisposableServer server = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/ws", (in, out) -> {
                    GatewayEndpoint.forgetHandshakeHeaders(in, out);
                    requestHeaders.set(in.headers().size());
                    responseHeaders.set(((HttpServerResponse) out).responseHeaders().size());
                    return out.sendString(in.receive().asString().map(text -> "echo " + text));
                }))
                .bindNow();
        try {
            List<String> replies = HttpClient.create()
                    .headers(headers -> headers.add("X-Large", "x".repeat(512)))
                    .websocket()
                    .uri("ws://127.0.0.1:" + server.port() + "/ws?access_token=" + token)
                    .handle((in, out) -> out.sendString(Flux.just("hello", "again")).then()
                            .thenMany(in.receive().asString().take(2)))
                    .collectList()
                    .block(Duration.ofSeconds(10));

            assertThat(replies).containsExactly("echo hello", "echo again");
            assertThat(requestHeaders).hasValue(0);
            assertThat(responseHeaders).hasValue(0);
        }
        finally {
            server.disposeNow();
        }
    }

    /** Sends a WebSocket upgrade on a plain socket and returns the head of the answer. */
    private static String rawHandshake(int port, String token) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws?access_token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            var in = socket.getInputStream();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
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

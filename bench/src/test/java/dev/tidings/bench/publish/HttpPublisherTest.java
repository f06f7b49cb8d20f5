package dev.tidings.bench.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpPublisherTest {

    private HttpServer server;
    private final List<String> bodies = new ArrayList<>();
    private final Set<String> clientPorts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile int status = 202;
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private URI start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        mostInFlight.accumulateAndGet(now, Math::max);
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (bodies) {
                bodies.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                        + exchange.getRequestHeaders().getFirst("Authorization") + " "
                        + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            }
            clientPorts.add(String.valueOf(exchange.getRemoteAddress().getPort()));
            hold.await(10, TimeUnit.SECONDS);
            byte[] answer = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            inFlight.decrementAndGet();
        }
    }

    @AfterEach
    void stop() {
        hold.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void postsTheNotificationWithTheTokenAndCompletesOnA202() throws Exception {
        try (HttpPublisher http = new HttpPublisher(start(), "t0ken", Duration.ofSeconds(5), 4)) {
            http.publishJson("{\"a\":1}").get(5, TimeUnit.SECONDS);
        }
        assertThat(bodies).containsExactly("POST /api/v1/notifications Bearer t0ken application/json {\"a\":1}");
    }

    @Test
    void failsWithTheStatusWhenTheAnswerIsNotA202() throws Exception {
        status = 429;
        try (HttpPublisher http = new HttpPublisher(start(), "t", Duration.ofSeconds(5), 1)) {
            assertThatThrownBy(() -> http.publishJson("{}").get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(PublishException.class,
                            failure -> assertThat(failure.reason()).isEqualTo("http 429"));
        }
    }

    @Test
    void returnsTheBatchAnswerWithItsBody() throws Exception {
        status = 200;
        try (HttpPublisher http = new HttpPublisher(start(), "t", Duration.ofSeconds(5), 1)) {
            HttpPublisher.Response response = http.publishBatch("{\"x\":1},{\"x\":2}").get(5, TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":200}");
        }
        assertThat(bodies).singleElement().asString()
                .startsWith("POST /api/v1/notifications:batch ").endsWith("{\"notifications\":[{\"x\":1},{\"x\":2}]}");
    }

    @Test
    void reusesAtMostItsConnectionsAndQueuesTheRest() throws Exception {
        try (HttpPublisher http = new HttpPublisher(start(), "t", Duration.ofSeconds(10), 3)) {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                sent.add(http.publishJson("{\"seq\":" + i + "}"));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
        assertThat(bodies).hasSize(300);
        assertThat(clientPorts).hasSizeBetween(1, 3);
        assertThat(mostInFlight.get()).isLessThanOrEqualTo(3);
    }

    @Test
    void failsARequestNotAnsweredWithinItsTimeoutAndServesTheNextOnAFreshConnection() throws Exception {
        hold = new CountDownLatch(1);
        try (HttpPublisher http = new HttpPublisher(start(), "t", Duration.ofMillis(300), 1)) {
            CompletableFuture<Void> late = http.publishJson("{\"late\":true}");
            assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(PublishException.class,
                            failure -> assertThat(failure.reason()).isEqualTo("timeout"));
            hold.countDown();
            http.publishJson("{\"next\":true}").get(5, TimeUnit.SECONDS);
        }
        assertThat(clientPorts).hasSize(2);
    }

    @Test
    void failsWhatWaitsWhenNoConnectionCanBeOpened() throws Exception {
        URI nobody = start();
        server.stop(0);
        server = null;
        try (HttpPublisher http = new HttpPublisher(nobody, "t", Duration.ofSeconds(5), 2)) {
            assertThatThrownBy(() -> http.publishJson("{}").get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(PublishException.class);
        }
    }
}

package dev.tidings.bench.publish;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import dev.tidings.bench.population.PublishPlan;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Publishes through {@code POST /api/v1/notifications} (and, for throughput tests, the batch
 * endpoint) with Reactor Netty's HTTP/1.1 client: a pool of keep-alive connections, one request
 * at a time on each, on one event loop. Concurrency is bounded by the caller; the pool holds as
 * many connections as it may have requests in flight.
 *
 * <p>The JDK's {@code HttpClient} this replaced needed a whole core for ~1,900 requests/s, so the
 * load generator, not the API, set the pace of every HTTP scenario.
 *
 * <p>Thread-safe: the Reactor Netty client is.
 */
public final class HttpPublisher implements Publisher {

    /** An HTTP answer: its status and body. */
    public record Response(int status, String body) {
    }

    private final Duration timeout;
    private final LoopResources loops;
    private final ConnectionProvider connections;
    private final HttpClient client;

    /**
     * @param base the publisher API's base URL
     * @param token a bearer token with the publish scope
     * @param timeout bound of each request, from waiting for a free connection to the whole answer
     * @param maxInFlight the most requests the caller has in flight at once
     */
    public HttpPublisher(URI base, String token, Duration timeout, int maxInFlight) {
        this.timeout = timeout;
        this.loops = LoopResources.create("bench-http", 1, true);
        this.connections = ConnectionProvider.builder("bench-http")
                .maxConnections(maxInFlight)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(timeout)
                .build();
        String authorization = "Bearer " + token;
        this.client = HttpClient.create(connections)
                .runOn(loops)
                .baseUrl(base.toString().replaceAll("/+$", ""))
                .headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                        .set(HttpHeaderNames.AUTHORIZATION, authorization));
    }

    /** The request body for notification {@code seq}. */
    public static String body(PublishPlan plan, int seq, String payloadJson) {
        return "{\"target\":" + plan.targetJson(seq) + ",\"event\":\"bench\",\"payload\":" + payloadJson + "}";
    }

    @Override
    public CompletableFuture<Void> publish(PublishPlan plan, int seq, String payloadJson) {
        return publishJson(body(plan, seq, payloadJson));
    }

    /** Posts one prepared notification to the single endpoint; completes once it was answered 202. */
    public CompletableFuture<Void> publishJson(String body) {
        return post("/api/v1/notifications", body).thenAccept(response -> {
            if (response.status() != 202) {
                throw new PublishException("http " + response.status(), response.body());
            }
        });
    }

    /** Posts {@code {"notifications":[items...]}} to the batch endpoint; completes with the raw response. */
    public CompletableFuture<Response> publishBatch(String itemsJoinedByComma) {
        return post("/api/v1/notifications:batch", "{\"notifications\":[" + itemsJoinedByComma + "]}");
    }

    private CompletableFuture<Response> post(String path, String body) {
        return client.post().uri(path)
                .send((request, out) -> out.sendString(Mono.just(body)))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Response(response.status().code(), text)))
                .timeout(timeout) // the whole exchange: a free connection, sending, the whole answer
                .toFuture()
                .exceptionallyCompose(ex -> CompletableFuture.failedFuture(
                        new PublishException(label(ex), String.valueOf(ex.getMessage()))));
    }

    private static String label(Throwable ex) {
        Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        return cause instanceof TimeoutException ? "timeout" : cause.getClass().getSimpleName();
    }

    @Override
    public String path() {
        return "http";
    }

    @Override
    public void close() {
        connections.disposeLater().block(Duration.ofSeconds(2));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(3));
    }
}

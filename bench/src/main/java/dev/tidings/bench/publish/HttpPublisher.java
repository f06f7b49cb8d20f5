package dev.tidings.bench.publish;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.tidings.bench.population.PublishPlan;

/**
 * Publishes through {@code POST /api/v1/notifications} (and, for throughput tests, the batch
 * endpoint) with an asynchronous JDK HTTP/1.1 client. Concurrency is bounded by the caller.
 *
 * <p>Thread-safe: the JDK client is.
 */
public final class HttpPublisher implements Publisher {

    private final URI single;
    private final URI batch;
    private final String authorization;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient client;

    public HttpPublisher(URI base, String token, Duration timeout) {
        String root = base.toString().replaceAll("/+$", "");
        this.single = URI.create(root + "/api/v1/notifications");
        this.batch = URI.create(root + "/api/v1/notifications:batch");
        this.authorization = "Bearer " + token;
        this.timeout = timeout;
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "bench-http");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
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
        return post(single, body).thenAccept(response -> {
            if (response.statusCode() != 202) {
                throw new PublishException("http " + response.statusCode(), response.body());
            }
        });
    }

    /** Posts {@code {"notifications":[items...]}} to the batch endpoint; completes with the raw response. */
    public CompletableFuture<HttpResponse<String>> publishBatch(String itemsJoinedByComma) {
        return post(batch, "{\"notifications\":[" + itemsJoinedByComma + "]}");
    }

    private CompletableFuture<HttpResponse<String>> post(URI uri, String body) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .exceptionallyCompose(ex -> CompletableFuture.failedFuture(
                        new PublishException(label(ex), String.valueOf(ex.getMessage()))));
    }

    private static String label(Throwable ex) {
        Throwable cause = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null
                ? ex.getCause() : ex;
        return cause instanceof java.net.http.HttpTimeoutException ? "timeout" : cause.getClass().getSimpleName();
    }

    @Override
    public String path() {
        return "http";
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.tidings.gateway.warmup;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import dev.tidings.common.auth.TokenIssuer;
import org.jspecify.annotations.Nullable;

/**
 * A warm-up's WebSocket client on the node's own port: connects with a token of its own, or resumes from a
 * cursor as a client that dropped does, and counts the notification frames it receives.
 *
 * <p>Thread-safe: the HTTP client's threads call the listener, the warm-up's thread reads {@link #received}.
 */
final class LoopbackClient implements WebSocket.Listener {

    private static final String NOTIFICATION = "{\"type\":\"notification\"";
    private static final String RESUMED = "{\"type\":\"resumed\"";

    final String user;
    final AtomicLong received = new AtomicLong();
    /** Notifications dispatched to it; written and read by the warm-up's thread only. */
    long expected;
    private final boolean resuming;
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile @Nullable WebSocket socket;

    private LoopbackClient(String user, boolean resuming) {
        this.user = user;
        this.resuming = resuming;
    }

    /**
     * Connects a client; completes once its session is registered: when the node's {@code welcome} arrived, or
     * with a {@code cursor} once the resume ended ({@code resumed}).
     */
    static CompletableFuture<LoopbackClient> open(HttpClient http, TokenIssuer tokens, URI endpoint, String user,
            String group, @Nullable String cursor, Duration timeout) {
        LoopbackClient client = new LoopbackClient(user, cursor != null);
        String token = tokens.issue(user, Set.of(group), Set.of(), Duration.ofMinutes(10));
        String query = "?access_token=" + token
                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        return http.newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(URI.create(endpoint + query), client)
                .thenCompose(socket -> {
                    client.socket = socket;
                    return client.welcomed;
                })
                .thenApply(welcome -> client);
    }

    /** Whether it connected with a cursor, and so was ready once its resume ended. */
    boolean resumed() {
        return resuming;
    }

    void ping() {
        WebSocket open = socket;
        if (open != null && !open.isOutputClosed()) {
            open.sendText("{\"type\":\"ping\"}", true);
        }
    }

    void close() {
        WebSocket open = socket;
        if (open != null && !open.isOutputClosed()) {
            open.sendClose(WebSocket.NORMAL_CLOSURE, "warm-up done");
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        CharSequence text = data;
        if (!last || !partial.isEmpty()) {
            partial.append(data);
            if (!last) {
                return null;
            }
            text = partial.toString();
            partial.setLength(0);
        }
        if (startsWith(text, NOTIFICATION)) {
            received.incrementAndGet();
        }
        else if (!resuming || startsWith(text, RESUMED)) {
            welcomed.complete(null);
        }
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String why) {
        welcomed.completeExceptionally(new IllegalStateException("closed with " + statusCode + " " + why));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        welcomed.completeExceptionally(error);
    }

    private static boolean startsWith(CharSequence text, String prefix) {
        return text.length() >= prefix.length() && text.subSequence(0, prefix.length()).toString().equals(prefix);
    }
}

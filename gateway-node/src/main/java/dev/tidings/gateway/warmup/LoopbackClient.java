package dev.tidings.gateway.warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import dev.tidings.common.auth.TokenIssuer;
import org.jspecify.annotations.Nullable;

/**
 * A warm-up's WebSocket client on the node's own port: connects with a token of its own, and counts the
 * notification frames it receives.
 *
 * <p>Thread-safe: the HTTP client's threads call the listener, the warm-up's thread reads {@link #received}.
 */
final class LoopbackClient implements WebSocket.Listener {

    private static final String NOTIFICATION = "{\"type\":\"notification\"";

    final String user;
    final AtomicLong received = new AtomicLong();
    /** Notifications dispatched to it; written and read by the warm-up's thread only. */
    long expected;
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile @Nullable WebSocket socket;

    private LoopbackClient(String user) {
        this.user = user;
    }

    /** Connects a client; completes once the node's {@code welcome} arrived, so its session is registered. */
    static CompletableFuture<LoopbackClient> open(HttpClient http, TokenIssuer tokens, URI endpoint, String user,
            String group, Duration timeout) {
        LoopbackClient client = new LoopbackClient(user);
        String token = tokens.issue(user, Set.of(group), Set.of(), Duration.ofMinutes(10));
        return http.newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(URI.create(endpoint + "?access_token=" + token), client)
                .thenCompose(socket -> {
                    client.socket = socket;
                    return client.welcomed;
                })
                .thenApply(welcome -> client);
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
        else {
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

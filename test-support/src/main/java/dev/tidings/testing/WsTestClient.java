package dev.tidings.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client for tests (the JDK's): connects to a gateway with a token and
 * records every frame it receives, and how the connection closed.
 *
 * <p>Thread-safe: frames are appended by the client's listener thread into a copy-on-write list.
 */
public final class WsTestClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;

    private WsTestClient(String name, URI uri) {
        this.name = name;
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).orTimeout(15, TimeUnit.SECONDS).join();
    }

    /** Connects to {@code ws://host:port/ws?access_token=…[&cursor=…]}. */
    public static WsTestClient connect(String name, int port, String token, @Nullable String cursor) {
        String uri = "ws://127.0.0.1:" + port + "/ws?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        if (cursor != null) {
            uri += "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        }
        return new WsTestClient(name, URI.create(uri));
    }

    /** Connects without a cursor. */
    public static WsTestClient connect(String name, int port, String token) {
        return connect(name, port, token, null);
    }

    /** Who this client is, for assertion messages. */
    public String name() {
        return name;
    }

    /** Every frame received so far. */
    public List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** The frames of one type, in arrival order. */
    public List<JsonNode> frames(String type) {
        List<JsonNode> result = new ArrayList<>();
        for (JsonNode frame : frames) {
            if (type.equals(frame.path("type").asString(""))) {
                result.add(frame);
            }
        }
        return result;
    }

    /** Ids of the notifications received, in arrival order (duplicates kept). */
    public List<String> notificationIds() {
        return frames("notification").stream().map(f -> f.get("id").asString()).toList();
    }

    /** The cursor of the last frame that carried one. */
    public @Nullable String lastCursor() {
        String cursor = null;
        for (JsonNode frame : frames) {
            if (frame.hasNonNull("cursor")) {
                cursor = frame.get("cursor").asString();
            }
        }
        return cursor;
    }

    /** Sends a text frame. */
    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The close code once the server closed the connection, or empty. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** Drops the TCP connection without a close handshake, like a killed client. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(ex -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(1006);
        }
    }
}

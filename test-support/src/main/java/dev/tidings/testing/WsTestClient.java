package dev.tidings.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client for tests (Tomcat's JSR-356 client): connects to a gateway with a
 * token and records every frame it receives, and how the connection closed.
 *
 * <p>Not the JDK's {@code java.net.http.WebSocket}: under load it was seen to fail with
 * "Invalid UTF-8 in frame TEXT" on connections whose first frames arrive right behind the
 * 101 response, while the bytes on the wire were valid.
 *
 * <p>Thread-safe: frames are appended by the client's read thread into a copy-on-write list.
 */
public final class WsTestClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final WebSocketContainer CONTAINER = ContainerProvider.getWebSocketContainer();

    static {
        // Every client session allocates this buffer: frames are at most a 64 KiB payload plus envelope.
        CONTAINER.setDefaultMaxTextMessageBufferSize(128 * 1024);
    }

    private final String name;
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final Session session;
    private volatile @Nullable Throwable error;

    private WsTestClient(String name, URI uri) {
        this.name = name;
        try {
            this.session = CONTAINER.connectToServer(new Listener(), ClientEndpointConfig.Builder.create().build(), uri);
        }
        catch (DeploymentException | IOException ex) {
            throw new HandshakeFailedException(ex);
        }
    }

    /** The handshake was refused or failed; the message names the HTTP status, e.g. {@code [401]}. */
    public static final class HandshakeFailedException extends RuntimeException {
        HandshakeFailedException(Exception cause) {
            super(String.valueOf(cause.getMessage()), cause);
        }
    }

    /** Connects to {@code ws://127.0.0.1:port/ws?access_token=…[&cursor=…]}. */
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

    /**
     * When each notification first arrived ({@link System#currentTimeMillis()} as its frame was
     * read), by id: latency measurements subtract the time it was sent.
     */
    public Map<String, Long> notificationArrivals() {
        return Map.copyOf(arrivals);
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
        try {
            session.getBasicRemote().sendText(text);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The close code once the connection closed (1006 for a transport error). */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** The transport error that ended the connection, if any. */
    public @Nullable Throwable error() {
        return error;
    }

    @Override
    public void close() {
        try {
            if (session.isOpen()) {
                session.close();
            }
        }
        catch (IOException | RuntimeException ex) {
            // already gone
        }
    }

    private final class Listener extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                long now = System.currentTimeMillis();
                JsonNode frame = JSON.readTree(text);
                if ("notification".equals(frame.path("type").asString("")) && frame.hasNonNull("id")) {
                    arrivals.putIfAbsent(frame.get("id").asString(), now);
                }
                frames.add(frame);
            });
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closeCode.complete(reason.getCloseCode().getCode());
        }

        @Override
        public void onError(Session session, Throwable failure) {
            error = failure;
            closeCode.complete(1006);
        }
    }
}

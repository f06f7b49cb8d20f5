package dev.tidings.cli.tail;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.tidings.cli.workspace.CliException;

/**
 * One WebSocket connection to a gateway: prints every text frame as one JSON line on {@code out},
 * sends {@code {"type":"ping"}} every {@code pingEvery} so idle proxies keep the connection, and
 * ends with an exit code: 0 after a normal close (1000) or {@link #stop}, 1 after any other close
 * or a lost connection. What the connection does (connected, closed, why) goes to {@code err}, so
 * {@code out} stays pure JSON lines.
 *
 * <p>Thread-safe: the JDK calls the listener methods one at a time; sends (pings, the closing
 * frame) are chained under {@code this}, because a WebSocket refuses a send while one is pending;
 * {@link #stop} may come from any thread (the JVM's shutdown hook).
 */
final class GatewayTail implements WebSocket.Listener {

    static final String PING = "{\"type\":\"ping\"}";
    static final int NORMAL_CLOSURE = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final PrintWriter out;
    private final PrintWriter err;
    private final Duration pingEvery;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tidings-tail-ping");
        thread.setDaemon(true);
        return thread;
    });
    private @Nullable WebSocket socket; // guarded by this
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null); // guarded by this
    private boolean stopping; // guarded by this
    private volatile String target = "the gateway";

    GatewayTail(PrintWriter out, PrintWriter err, Duration pingEvery) {
        this.out = out;
        this.err = err;
        this.pingEvery = pingEvery;
    }

    /**
     * Connects with {@code Authorization: Bearer <bearer>} and prints frames until the connection ends.
     *
     * @return the exit code
     * @throws CliException when the connection cannot be opened (refused, timed out, handshake rejected)
     */
    int run(URI uri, String bearer) {
        target = withoutQuery(uri);
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        WebSocket connected;
        try {
            connected = http.newWebSocketBuilder()
                    .connectTimeout(CONNECT_TIMEOUT)
                    .header("Authorization", "Bearer " + bearer)
                    .buildAsync(uri, this)
                    .get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        }
        catch (ExecutionException | CompletionException ex) {
            throw connectFailure(uri, ex.getCause() != null ? ex.getCause() : ex);
        }
        catch (TimeoutException ex) {
            throw new CliException("the gateway at " + uri + " did not complete the WebSocket handshake in time");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while connecting to " + uri);
        }
        boolean stopRequested;
        synchronized (this) {
            socket = connected;
            stopRequested = stopping;
        }
        if (stopRequested) {
            sendClose();
        }
        pinger.scheduleAtFixedRate(() -> send(ws -> ws.sendText(PING, true)), pingEvery.toMillis(),
                pingEvery.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return exit.join();
        }
        finally {
            pinger.shutdownNow();
        }
    }

    /**
     * Closes the connection normally (1000) and waits up to {@code grace} for the gateway to answer
     * the close; {@link #run} then returns 0.
     */
    void stop(Duration grace) {
        boolean connected;
        synchronized (this) {
            stopping = true;
            connected = socket != null;
        }
        if (!connected) {
            return; // run() closes as soon as the handshake is done
        }
        sendClose();
        try {
            exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException | ExecutionException ex) {
            finish(0);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            finish(0);
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        err.println("tail: connected to " + target + "; Ctrl-C to stop");
        err.flush();
        webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            out.println(jsonLine(partial.toString()));
            out.flush();
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        err.println("tail: ignored a binary frame of " + data.remaining() + " bytes (the protocol is JSON text)");
        err.flush();
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        boolean stopped;
        synchronized (this) {
            stopped = stopping;
        }
        if (stopped) {
            err.println("tail: closed");
            err.flush();
            finish(0);
            return null;
        }
        err.println("tail: the gateway closed the connection: " + statusCode + (reason.isBlank() ? "" : " " + reason)
                + meaning(statusCode));
        err.flush();
        finish(statusCode == NORMAL_CLOSURE ? 0 : 1);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        boolean stopped;
        synchronized (this) {
            stopped = stopping;
        }
        if (!stopped) {
            err.println("tail: connection lost: " + error);
            err.flush();
        }
        finish(stopped ? 0 : 1);
    }

    /** A frame as one line of JSON: compacted when it is JSON, else the text as a JSON string. */
    static String jsonLine(String frame) {
        try {
            JsonNode node = JSON.readTree(frame);
            if (node != null && !node.isMissingNode()) {
                return JSON.writeValueAsString(node);
            }
        }
        catch (JacksonException notJson) {
            // Printed as a string below, so every line stays parseable.
        }
        return JSON.writeValueAsString(JSON.getNodeFactory().stringNode(frame));
    }

    /** What a close code means in the Tidings protocol, as a suffix for the message. */
    static String meaning(int code) {
        return switch (code) {
            case NORMAL_CLOSURE -> " (normal close)";
            case 1001 -> " (going away: the gateway is shutting down)";
            case 1008 -> " (policy violation: bad or expired token)";
            case 1009 -> " (a frame was too large)";
            case 1011 -> " (the gateway hit an internal error)";
            case 1013 -> " (node overloaded or shutting down: reconnect to another node)";
            case 4408 -> " (this client was too slow to keep up)";
            default -> "";
        };
    }

    private void sendClose() {
        send(ws -> ws.sendClose(NORMAL_CLOSURE, "tidings tail stopped"));
    }

    private synchronized void send(Function<WebSocket, CompletableFuture<WebSocket>> action) {
        WebSocket ws = socket;
        if (ws == null || ws.isOutputClosed()) {
            return;
        }
        lastSend = lastSend.handle((ignored, failure) -> null)
                .thenCompose(ignored -> ws.isOutputClosed() ? CompletableFuture.completedFuture(ws) : action.apply(ws));
    }

    private void finish(int code) {
        exit.complete(code);
    }

    private static CliException connectFailure(URI uri, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            String hint = status == 401 ? ": the token was refused (the gateway checks tokens with its own TIDINGS_JWT_SECRET)"
                    : status == 404 ? ": no WebSocket endpoint there (the path is /ws)" : "";
            return new CliException("the gateway at " + uri.getHost() + ":" + uri.getPort()
                    + " refused the WebSocket handshake with HTTP " + status + hint);
        }
        if (cause instanceof ConnectException) {
            return new CliException("cannot reach the gateway at " + withoutQuery(uri) + " (connection refused): "
                    + "is `tidings up` running, or is --url right?");
        }
        if (cause instanceof HttpTimeoutException) {
            return new CliException("the gateway at " + withoutQuery(uri) + " did not answer in time: " + cause.getMessage());
        }
        return new CliException("cannot connect to " + withoutQuery(uri) + ": " + cause, cause);
    }

    /** The URI without its query, which may hold a cursor: short enough for an error message. */
    private static String withoutQuery(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }
}

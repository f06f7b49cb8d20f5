package dev.tidings.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client on a bare {@link Socket}, handshake written by hand: it sends exactly the
 * headers a test gives (an {@code Origin}, say), and it reads only when told to. A test can thus
 * open a connection and then never read from it, as a stalled browser tab or a hostile client
 * would, with a receive buffer as small as it likes. It also reports close codes exactly as sent:
 * Tomcat's JSR-356 client ({@code WsTestClient}) turns 1012-1015 into 1002.
 *
 * <p>Not thread-safe: one test thread drives it, or after {@link #startReading()} its reader thread
 * reads while the test only looks at the concurrent results.
 */
final class RawWebSocket implements AutoCloseable {

    /** What {@link #readUntilClosed} found at the end of the connection. */
    record Ending(int closeCode, long bytesRead, String how) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int status;
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    private volatile @Nullable IOException failure;

    private RawWebSocket(Socket socket, int status) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.status = status;
    }

    /**
     * Connects to {@code /ws} on 127.0.0.1 and performs the opening handshake.
     *
     * @param receiveBuffer {@code SO_RCVBUF} set before connecting (so the TCP window is small), or 0 for the default
     * @param headers extra request headers, e.g. {@code Origin}
     */
    static RawWebSocket connect(int port, String token, int receiveBuffer, Map<String, String> headers)
            throws IOException {
        return connect(port, token, null, receiveBuffer, headers);
    }

    /** {@link #connect(int, String, int, Map)} resuming from {@code cursor} ({@code ?cursor=}) when it is not null. */
    static RawWebSocket connect(int port, String token, @Nullable String cursor, int receiveBuffer,
            Map<String, String> headers) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        Map<String, String> request = new LinkedHashMap<>();
        request.put("Host", "127.0.0.1:" + port);
        request.put("Upgrade", "websocket");
        request.put("Connection", "Upgrade");
        request.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
        request.put("Sec-WebSocket-Version", "13");
        request.putAll(headers);
        StringBuilder text = new StringBuilder("GET /ws?access_token=")
                .append(URLEncoder.encode(token, StandardCharsets.UTF_8));
        if (cursor != null) {
            text.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        text.append(" HTTP/1.1\r\n");
        request.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        text.append("\r\n");
        socket.getOutputStream().write(text.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String head = readHead(socket.getInputStream());
        String[] statusLine = head.split("\r\n", 2)[0].split(" ");
        return new RawWebSocket(socket, Integer.parseInt(statusLine[1]));
    }

    /** The handshake's HTTP status: 101 when upgraded. */
    int status() {
        return status;
    }

    /**
     * Reads (and drops) everything the server sends until it closes: returns the close frame's
     * code, or -1 when the connection ended without one (EOF or reset), with how it ended.
     */
    Ending readUntilClosed(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        long bytes = 0;
        try {
            while (true) {
                Frame frame = readFrame();
                if (frame == null) {
                    return new Ending(-1, bytes, "end of stream");
                }
                bytes += 2 + frame.payload().length;
                if (frame.opcode() == 0x8) {
                    return new Ending(frame.closeCode(), bytes, "close frame");
                }
            }
        }
        catch (EOFException ex) {
            return new Ending(-1, bytes, "end of stream inside a frame");
        }
        catch (SocketException ex) {
            return new Ending(-1, bytes, "connection reset: " + ex.getMessage());
        }
        catch (SocketTimeoutException ex) {
            throw new AssertionError("the server neither closed nor finished sending within " + timeout
                    + " (" + bytes + " bytes read)", ex);
        }
    }

    /**
     * From now on reads every frame on a daemon thread: text frames into {@link #texts()}, and
     * the close code (read off the wire, -1 if the connection ended without a close frame) into
     * {@link #closeCode()}.
     */
    RawWebSocket startReading() throws IOException {
        return startReading(Duration.ZERO);
    }

    /**
     * {@link #startReading()} as a client on a slow link: it takes {@code perFrame} over each frame, so
     * what the server sends it waits on the server's side meanwhile.
     */
    RawWebSocket startReading(Duration perFrame) throws IOException {
        long pauseNanos = perFrame.toNanos();
        socket.setSoTimeout(0);
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    Frame frame = readFrame();
                    if (frame == null) {
                        closeCode.complete(-1);
                        return;
                    }
                    if (frame.opcode() == 0x1) {
                        texts.add(new String(frame.payload(), StandardCharsets.UTF_8));
                        if (pauseNanos > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
                        }
                    }
                    else if (frame.opcode() == 0x8) {
                        closeCode.complete(frame.closeCode());
                        return;
                    }
                }
            }
            catch (IOException ex) {
                failure = ex;
                closeCode.complete(-1);
            }
        }, "raw-ws-reader");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** What ended the reading thread other than a close or the end of the stream, if anything. */
    @Nullable IOException failure() {
        return failure;
    }

    /** Text frames read since {@link #startReading()}. */
    List<String> texts() {
        return List.copyOf(texts);
    }

    /** The close code the server sent, once the connection ended (see {@link #startReading()}). */
    CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** One unfragmented server frame (servers never mask). */
    private record Frame(int opcode, byte[] payload) {

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** The next frame, or {@code null} at the end of the stream between frames. */
    private Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        if ((b0 & 0x70) != 0) { // no extension is negotiated: a reserved bit means the stream is corrupt
            throw new java.net.ProtocolException("reserved bits set in frame header 0x" + Integer.toHexString(b0));
        }
        int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        }
        else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException();
        }
        return new Frame(b0 & 0x0F, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // already gone
        }
    }
}

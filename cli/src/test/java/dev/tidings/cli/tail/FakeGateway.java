package dev.tidings.cli.tail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server for one connection on a raw socket (RFC 6455, just what a client test
 * needs): answers the handshake or refuses it with an HTTP status, sends text and close frames,
 * and records the client's text frames and close code. Unmasked frames out, masked frames in.
 */
final class FakeGateway implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final Thread acceptor;
    private final CompletableFuture<Socket> connection = new CompletableFuture<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> clientClose = new CompletableFuture<>();
    private final Map<String, String> headers = new HashMap<>();
    private volatile String requestTarget = "";
    private volatile int refuseWith;
    private volatile boolean closeSent;

    private FakeGateway() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "fake-gateway");
        acceptor.setDaemon(true);
    }

    static FakeGateway start() throws IOException {
        FakeGateway gateway = new FakeGateway();
        gateway.acceptor.start();
        return gateway;
    }

    /** Answer the handshake with this HTTP status instead of 101. */
    FakeGateway refusingWith(int status) {
        refuseWith = status;
        return this;
    }

    String url() {
        return "ws://127.0.0.1:" + server.getLocalPort() + "/ws";
    }

    /** The request line's target, e.g. {@code /ws?cursor=...}. */
    String requestTarget() {
        return requestTarget;
    }

    /** A handshake header, by lower-case name. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    List<String> received() {
        return received;
    }

    CompletableFuture<Integer> clientClose() {
        return clientClose;
    }

    boolean connected() {
        return connection.isDone() && !connection.isCompletedExceptionally();
    }

    void sendText(String text) throws Exception {
        write(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendClose(int code, String reason) throws Exception {
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + why.length).putShort((short) code).put(why);
        closeSent = true;
        write(0x8, payload.array());
    }

    private synchronized void write(int opcode, byte[] payload) throws Exception {
        OutputStream out = connection.get(10, TimeUnit.SECONDS).getOutputStream();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        }
        else if (payload.length < 65536) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        else {
            frame.write(127);
            frame.write(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    private void serve() {
        try {
            Socket socket = server.accept();
            InputStream in = socket.getInputStream();
            String request = readHead(in);
            String[] lines = request.split("\r\n");
            requestTarget = lines[0].split(" ")[1];
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
                }
            }
            OutputStream out = socket.getOutputStream();
            if (refuseWith != 0) {
                out.write(("HTTP/1.1 " + refuseWith + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.close();
                connection.completeExceptionally(new IOException("refused with " + refuseWith));
                return;
            }
            String accept = accept(header("sec-websocket-key"));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            connection.complete(socket);
            readFrames(socket, in);
        }
        catch (Exception ex) {
            connection.completeExceptionally(ex);
            clientClose.completeExceptionally(ex);
        }
    }

    private void readFrames(Socket socket, InputStream in) throws Exception {
        while (true) {
            int first = in.read();
            if (first < 0) {
                clientClose.completeExceptionally(new IOException("connection ended without a close frame"));
                return;
            }
            int opcode = first & 0x0f;
            int second = in.read();
            long length = second & 0x7f;
            if (length == 126) {
                length = ByteBuffer.wrap(in.readNBytes(2)).getShort() & 0xffff;
            }
            else if (length == 127) {
                length = ByteBuffer.wrap(in.readNBytes(8)).getLong();
            }
            byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
            byte[] payload = in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (opcode) {
                case 0x1 -> received.add(new String(payload, StandardCharsets.UTF_8));
                case 0x9 -> write(0xA, payload);
                case 0x8 -> {
                    int code = payload.length >= 2 ? ByteBuffer.wrap(payload, 0, 2).getShort() & 0xffff : 1005;
                    if (!closeSent) {
                        sendClose(code, "");
                    }
                    clientClose.complete(code);
                    socket.close();
                    return;
                }
                default -> {
                    // pong, binary, continuation: not needed by these tests
                }
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection ended in the handshake");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static String accept(String key) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (connected()) {
            connection.join().close();
        }
    }
}

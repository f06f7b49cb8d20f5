package dev.tidings.cli.broker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a broker whether it serves requests, with one Kafka {@code ApiVersions} (v0) request over a
 * plain socket: a listening port alone is not enough, since the broker binds it before it is ready.
 *
 * <p>No Kafka client on the CLI's classpath for one readiness check.
 */
final class KafkaProbe {

    private static final short API_VERSIONS_KEY = 18;
    private static final int CORRELATION_ID = 0x7d1d;
    private static final byte[] CLIENT_ID = "tidings-cli".getBytes(StandardCharsets.UTF_8);

    private KafkaProbe() {
    }

    /** Whether the broker at the address answered {@code ApiVersions} without error within the timeout. */
    static boolean servesRequests(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            // Request header v1: api key, api version, correlation id, client id (int16-length string).
            out.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length);
            out.writeShort(API_VERSIONS_KEY);
            out.writeShort(0);
            out.writeInt(CORRELATION_ID);
            out.writeShort(CLIENT_ID.length);
            out.write(CLIENT_ID);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            // Response header v0 is the correlation id; the ApiVersions body starts with its error code.
            return size >= 6 && in.readInt() == CORRELATION_ID && in.readShort() == 0;
        }
        catch (IOException notYet) {
            return false;
        }
    }
}

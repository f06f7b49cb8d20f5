package dev.tidings.cli.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback TCP ports: whether one is free, and a free one to use. Every local service binds 127.0.0.1. */
public final class Ports {

    /** The only address local services listen on. */
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /**
     * Whether nothing listens on the port: it can be bound on loopback (which fails on Linux when
     * another socket listens on it or on the wildcard address) and nothing answers a connect.
     */
    public static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as servers do: TIME_WAIT leftovers do not make a port busy
            probe.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        }
        catch (IOException taken) {
            return false;
        }
        return !acceptsConnections(port, 200);
    }

    /** Whether something accepts TCP connections on the loopback port within the timeout. */
    public static boolean acceptsConnections(int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), timeoutMillis);
            return true;
        }
        catch (IOException closed) {
            return false;
        }
    }

    /** An ephemeral loopback port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("no free loopback port", ex);
        }
    }
}

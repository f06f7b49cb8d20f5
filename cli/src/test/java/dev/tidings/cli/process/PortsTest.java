package dev.tidings.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aPortSomethingListensOnIsNotFree() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = listener.getLocalPort();

            assertThat(Ports.isFree(port)).isFalse();
            assertThat(Ports.acceptsConnections(port, 500)).isTrue();
        }
    }

    @Test
    void aPortOnTheWildcardAddressIsNotFreeOnLoopbackEither() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1)) {
            assertThat(Ports.isFree(listener.getLocalPort())).isFalse();
        }
    }

    @Test
    void aFreePortIsFreeAndRefusesConnections() {
        int port = Ports.freePort();

        assertThat(Ports.isFree(port)).isTrue();
        assertThat(Ports.acceptsConnections(port, 500)).isFalse();
    }
}

package dev.tidings.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.tidings.cli.process.Ports;

class KafkaProbeTest {

    @Test
    void aPortThatAcceptsButNeverAnswersIsNotAReadyBrokerAndTheProbeGivesUpInTime() throws Exception {
        // The kernel completes the handshake from the backlog; nothing ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            long start = System.nanoTime();

            boolean ready = KafkaProbe.servesRequests("127.0.0.1", silent.getLocalPort(), 300);

            assertThat(ready).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aClosedPortIsNotAReadyBroker() {
        assertThat(KafkaProbe.servesRequests("127.0.0.1", Ports.freePort(), 300)).isFalse();
    }
}

package dev.tidings.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.tidings.cli.process.Ports;

class HealthProbeTest {

    private HttpServer server;
    private volatile int status;
    private volatile String body = "";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/actuator/health", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI health() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/actuator/health");
    }

    @Test
    void isUpOnlyWhenTheServiceSaysStatusUp() {
        HealthProbe probe = new HealthProbe();

        status = 200;
        body = "{\"groups\":[\"liveness\"], \"status\" : \"UP\"}";
        assertThat(probe.isUp(health())).isTrue();

        status = 503;
        body = "{\"status\":\"DOWN\"}";
        assertThat(probe.isUp(health())).isFalse();

        status = 200;
        body = "{\"status\":\"OUT_OF_SERVICE\"}";
        assertThat(probe.isUp(health())).isFalse();
    }

    @Test
    void isNotUpWhenNothingListens() {
        assertThat(new HealthProbe().isUp(URI.create("http://127.0.0.1:" + Ports.freePort() + "/actuator/health")))
                .isFalse();
    }
}

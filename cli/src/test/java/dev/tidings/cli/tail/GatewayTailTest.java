package dev.tidings.cli.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayTailTest {

    private FakeGateway gateway;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startFakeGateway() throws Exception {
        gateway = FakeGateway.start();
    }

    @AfterEach
    void stopFakeGateway() throws Exception {
        gateway.close();
    }

    private GatewayTail tail(Duration pingEvery) {
        return new GatewayTail(new PrintWriter(out, true), new PrintWriter(err, true), pingEvery);
    }

    @Test
    void sendsAPingEveryIntervalAndNothingElse() throws Exception {
        GatewayTail tail = tail(Duration.ofMillis(50));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> tail.run(URI.create(gateway.url()), "t"));

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.received().size() >= 3);
        gateway.sendClose(1000, "");

        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(gateway.received()).containsOnly(GatewayTail.PING);
    }

    @Test
    void ctrlCClosesTheConnectionNormallyAndEndsWithExitCodeZero() throws Exception {
        GatewayTail tail = tail(Duration.ofSeconds(25));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> tail.run(URI.create(gateway.url()), "t"));
        await().atMost(Duration.ofSeconds(10)).until(gateway::connected);
        gateway.sendText("{\"type\":\"welcome\",\"node\":\"gw-1\",\"cursor\":\"c0\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("welcome"));

        tail.stop(Duration.ofSeconds(5));

        assertThat(gateway.clientClose().get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(err.toString()).contains("tail: closed").doesNotContain("the gateway closed");
    }

    @Test
    void countsAConnectionLostWithoutACloseFrameAsAFailure() throws Exception {
        GatewayTail tail = tail(Duration.ofSeconds(25));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> tail.run(URI.create(gateway.url()), "t"));
        await().atMost(Duration.ofSeconds(10)).until(gateway::connected);

        gateway.close();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(err.toString()).containsAnyOf("connection lost", "closed the connection: 1006");
    }

    @Test
    void writesAFrameThatIsNotJsonAsAJsonStringSoEveryLineParses() {
        assertThat(GatewayTail.jsonLine("{ \"type\" : \"pong\" }")).isEqualTo("{\"type\":\"pong\"}");
        assertThat(GatewayTail.jsonLine("hello \"world\"\n")).isEqualTo("\"hello \\\"world\\\"\\n\"");
        assertThat(GatewayTail.jsonLine("")).isEqualTo("\"\"");
    }

    @Test
    void explainsTheProtocolsCloseCodes() {
        assertThat(GatewayTail.meaning(1013)).contains("reconnect to another node");
        assertThat(GatewayTail.meaning(4408)).contains("too slow");
        assertThat(GatewayTail.meaning(1009)).contains("too large");
        assertThat(GatewayTail.meaning(4999)).isEmpty();
    }
}

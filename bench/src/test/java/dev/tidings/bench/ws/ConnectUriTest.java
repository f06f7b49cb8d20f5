package dev.tidings.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

class ConnectUriTest {

    @Test
    void appendsTheTokenAsTheFirstQueryParameter() {
        URI uri = ClientFleet.connectUri(URI.create("ws://127.0.0.1:8082/ws"), "a.b.c", null);

        assertThat(uri).hasToString("ws://127.0.0.1:8082/ws?access_token=a.b.c");
    }

    @Test
    void appendsTheCursorAfterTheToken() {
        URI uri = ClientFleet.connectUri(URI.create("ws://127.0.0.1:8082/ws"), "a.b.c", "AQ_-z9");

        assertThat(uri).hasToString("ws://127.0.0.1:8082/ws?access_token=a.b.c&cursor=AQ_-z9");
        assertThat(uri.getRawPath()).isEqualTo("/ws");
    }

    @Test
    void urlEncodesACursorThatIsNotUrlSafe() {
        URI uri = ClientFleet.connectUri(URI.create("ws://h:1/ws"), "t", "a+b/c=&d");

        assertThat(uri.getRawQuery()).isEqualTo("access_token=t&cursor=a%2Bb%2Fc%3D%26d");
        assertThat(uri.getQuery()).as("decodes back").endsWith("cursor=a+b/c=&d");
    }

    @Test
    void keepsAQueryTheGatewayUrlAlreadyHas() {
        URI uri = ClientFleet.connectUri(URI.create("ws://h:1/ws?region=eu"), "t", "c");

        assertThat(uri.getRawQuery()).isEqualTo("region=eu&access_token=t&cursor=c");
    }

    @Test
    void leavesAnEmptyCursorOut() {
        assertThat(ClientFleet.connectUri(URI.create("ws://h:1/ws"), "t", "").getRawQuery()).isEqualTo("access_token=t");
    }
}

package dev.tidings.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

class WebSocketConfigurationTest {

    private final ObservationPredicate predicate = new WebSocketConfiguration().noHttpServerObservationOfWebSockets();

    private static ServerRequestObservationContext request(String path) {
        return new ServerRequestObservationContext(MockServerHttpRequest.get(path).build(),
                new MockServerHttpResponse(), new HashMap<>());
    }

    @Test
    void leavesTheWebSocketHandshakeUnobservedForTheConnectionsLifetime() {
        assertThat(predicate.test("http.server.requests", request("/ws?access_token=t"))).isFalse();
    }

    @Test
    void observesEveryOtherRequestAndEveryOtherKindOfObservation() {
        assertThat(predicate.test("http.server.requests", request("/actuator/health"))).isTrue();
        assertThat(predicate.test("http.server.requests", request("/ws/other"))).isTrue();
        assertThat(predicate.test("tidings.anything", new Observation.Context())).isTrue();
    }
}

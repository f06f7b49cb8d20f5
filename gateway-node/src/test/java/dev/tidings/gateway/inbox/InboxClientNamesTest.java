package dev.tidings.gateway.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.tidings.gateway.session.NodeSessions;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;

class InboxClientNamesTest {

    @Test
    void theReadStateClientsAreNamedAfterTheNodeAndTheirJobLikeTheNodesOtherClients() {
        Map<String, Object> shared = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");

        Map<String, Object> named = InboxConfiguration.named(shared, NodeSessions.properties(Map.of()),
                "read-notices");

        assertThat(named).containsEntry(CommonClientConfigs.CLIENT_ID_CONFIG, "tidings-gateway-gw-test-read-notices")
                .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");
        assertThat(shared).doesNotContainKey(CommonClientConfigs.CLIENT_ID_CONFIG);
    }
}

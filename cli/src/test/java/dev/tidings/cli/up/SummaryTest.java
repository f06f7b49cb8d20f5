package dev.tidings.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tidings.cli.workspace.DevSecret;

class SummaryTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

    @Test
    void showsEveryAddressTheSecretAndCommandsToTry() {
        ClusterPlan plan = ClusterPlan.of(2, 9092, 8080, 8081, SECRET, null);
        DevSecret secret = new DevSecret(SECRET, DevSecret.Source.GENERATED, Path.of(".tidings/dev-secret"));

        String text = Summary.render(plan, Map.of("kafka", 10L, "publisher-api", 11L, "gw-1", 12L, "gw-2", 13L),
                secret, ".tidings/dev-secret", ".tidings/logs", "./tidings", 4242L);

        assertThat(text).contains(
                "127.0.0.1:9092",
                "http://127.0.0.1:8080/api/v1/notifications",
                "ws://127.0.0.1:8081/ws", "demo page http://127.0.0.1:8081/",
                "ws://127.0.0.1:8082/ws", "demo page http://127.0.0.1:8082/",
                "pid 12",
                SECRET, ".tidings/dev-secret",
                "TOKEN=$(./tidings token --user alice --groups Class:201901)",
                "ws://127.0.0.1:8081/ws?access_token=$TOKEN",
                "./tidings publish --group Class:201901 --event grade.published",
                "PUB=$(./tidings token --user ops --scope notifications:publish)",
                "curl -sS -X POST http://127.0.0.1:8080/api/v1/notifications",
                "\"target\":{\"type\":\"group\",\"ids\":[\"Class:201901\"]}",
                "kill 12",
                "Press Ctrl-C (or: kill 4242) to stop everything.");
    }

    @Test
    void neverPrintsASecretThatCameFromTheEnvironment() {
        ClusterPlan plan = ClusterPlan.of(1, 9092, 8080, 8081, SECRET, "broker.example:9092");
        DevSecret secret = new DevSecret(SECRET, DevSecret.Source.ENVIRONMENT, null);

        String text = Summary.render(plan, Map.of("publisher-api", 11L, "gw-1", 12L), secret, null, ".tidings/logs",
                "/opt/tidings/tidings", 4242L);

        assertThat(text).doesNotContain(SECRET)
                .contains("from TIDINGS_JWT_SECRET", "broker.example:9092", "external (KAFKA_BOOTSTRAP_SERVERS)",
                        "/opt/tidings/tidings token")
                .doesNotContain("kill 12");
    }
}

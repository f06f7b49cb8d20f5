package dev.tidings.publisher.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;

import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.common.warmup.WarmUpProgress;
import dev.tidings.publisher.publish.WarmUpTraffic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.health.contributor.Status;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.json.JsonMapper;

class PublisherWarmUpTest {

    static final URI SELF = URI.create("http://127.0.0.1:1");
    static final TokenIssuer ISSUER = new TokenIssuer("publisher-warm-up-test-secret-0123456789");
    static final WarmUpTraffic TRAFFIC = new WarmUpTraffic("tidings-warm-up-test", "tidings.publisher.warm-up");

    @Test
    void aWarmUpThatCannotRunSkipsAndLeavesThePublisherReady() {
        PublisherWarmUp disabled = new PublisherWarmUp(properties(Duration.ZERO), ISSUER, TRAFFIC);
        PublisherWarmUp jwks = new PublisherWarmUp(properties(Duration.ofSeconds(30)), null, TRAFFIC);
        PublisherWarmUp tls = new PublisherWarmUp(properties(Duration.ofSeconds(30)), ISSUER, TRAFFIC);

        disabled.start(SELF);
        jwks.start(SELF);
        tls.start(null);

        assertThat(disabled.state()).isEqualTo(WarmUpProgress.State.SKIPPED);
        assertThat(disabled.health().getStatus()).isEqualTo(Status.UP);
        assertThat(jwks.health().getDetails().get("reason").toString()).contains("JWKS");
        assertThat(tls.health().getDetails().get("reason").toString()).contains("TLS");
    }

    @Test
    void aWarmUpNotYetStartedHoldsThePublishersReadiness() {
        PublisherWarmUp waiting = new PublisherWarmUp(properties(Duration.ofSeconds(30)), ISSUER, TRAFFIC);

        assertThat(waiting.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    @Test
    void itsRequestsAreJsonToItsOwnUsersGroupAndEveryoneSomeWithAnIdAndBatchesOfThem() {
        PublisherWarmUp warmUp = new PublisherWarmUp(properties(Duration.ofSeconds(30)), ISSUER, TRAFFIC);
        JsonMapper json = JsonMapper.builder().build();

        for (long n = 0; n < 2 * PublisherWarmUp.BROADCAST_EVERY; n++) {
            String type = json.readTree(warmUp.notification(n)).path("target").path("type").asString();
            assertThat(type).isIn("user", "group", "broadcast");
            json.readTree(warmUp.notification(n)).path("target").path("ids")
                    .forEach(id -> assertThat(id.asString()).startsWith(TRAFFIC.subject()));
        }
        assertThat(json.readTree(warmUp.notification(PublisherWarmUp.BROADCAST_EVERY / 2)).path("target")
                .path("type").asString()).isEqualTo("broadcast");
        assertThat(json.readTree(warmUp.notification(1)).path("id").asString()).startsWith(TRAFFIC.subject());
        assertThat(json.readTree(warmUp.batch(3)).path("notifications")).hasSize(PublisherWarmUp.BATCH_SIZE);
    }

    @Test
    void theWarmUpsTopicSitsBesideTheNotificationsTopicUnlessNamed() {
        assertThat(properties(Duration.ZERO).topicOf("tidings.notifications")).isEqualTo("tidings.publisher.warm-up");
        assertThat(properties(Duration.ZERO).topicOf("orders")).isEqualTo("orders.warm-up");
        assertThat(new WarmUpProperties(Duration.ZERO, 8, "mine").topicOf("orders")).isEqualTo("mine");
        assertThatIllegalArgumentException().isThrownBy(() -> new WarmUpProperties(Duration.ofMinutes(6), 8, ""))
                .withMessageContaining("tidings.publisher.warm-up.duration");
        assertThatIllegalArgumentException().isThrownBy(() -> new WarmUpProperties(Duration.ZERO, 0, ""))
                .withMessageContaining("tidings.publisher.warm-up.connections");
    }

    @Test
    void thePublishersSettingsKeepItOutOfItsReadinessGroupWhileItWarmsUp() throws Exception {
        PropertySource<?> settings = new YamlPropertySourceLoader()
                .load("publisher", new ClassPathResource("application.yml")).get(0);

        assertThat(String.valueOf(settings.getProperty("management.endpoint.health.group.readiness.include")))
                .isEqualTo("readinessState,warmUp");
        assertThat(String.valueOf(settings.getProperty("tidings.publisher.warm-up.duration")))
                .isEqualTo("${TIDINGS_WARM_UP:30s}");
    }

    private static WarmUpProperties properties(Duration duration) {
        return new WarmUpProperties(duration, 8, "");
    }
}

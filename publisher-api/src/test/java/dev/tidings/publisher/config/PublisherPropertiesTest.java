package dev.tidings.publisher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

class PublisherPropertiesTest {

    @Test
    void theDefaultsAreSafeLimits() {
        PublisherProperties defaults = TestProperties.publisher();

        assertThat(defaults.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(defaults.maxPayloadBytes()).isEqualTo(64 * 1024);
        assertThat(defaults.maxBatchSize()).isEqualTo(1000);
        // Records, not requests: a service publishing 2,000 notifications/s to one id each fits with room to spare.
        assertThat(defaults.rateLimitPerSecond()).isEqualTo(5000);
        assertThat(defaults.rateLimitBurst()).isEqualTo(10_000);
        assertThat(defaults.rateLimitMaxCallers()).isEqualTo(100_000);
        assertThat(defaults.replayRecordsPerSecond()).isEqualTo(100);
        assertThat(defaults.replayKeepFinished()).isEqualTo(100);
        assertThat(defaults.idempotencyTopicOf("tidings.notifications")).isEqualTo("tidings.publisher.idempotency");
        assertThat(defaults.idempotencyTopicOf("other")).isEqualTo("other.idempotency");
        assertThat(TestProperties.publisher("idempotency-topic", "mine").idempotencyTopicOf("other")).isEqualTo("mine");
    }

    @Test
    void aZeroRateLimitIsRefusedAtStartUpNamingTheProperty() {
        assertThatThrownBy(() -> TestProperties.publisher("rate-limit-per-second", "0"))
                .rootCause().hasMessageContaining("tidings.publisher.rate-limit-per-second");
        assertThatThrownBy(() -> TestProperties.publisher("rate-limit-burst", "0"))
                .rootCause().hasMessageContaining("tidings.publisher.rate-limit-burst");
        assertThatThrownBy(() -> TestProperties.publisher("rate-limit-max-callers", "0"))
                .rootCause().hasMessageContaining("tidings.publisher.rate-limit-max-callers");
    }

    @Test
    void aBodyLimitBelowThePayloadLimitOrAbove64MiBIsRefused() {
        assertThatThrownBy(() -> TestProperties.publisher("max-body-bytes", "1000"))
                .rootCause().hasMessageContaining("tidings.publisher.max-body-bytes");
        assertThatThrownBy(() -> TestProperties.publisher("max-body-bytes", String.valueOf(65 * 1024 * 1024)))
                .rootCause().hasMessageContaining("tidings.publisher.max-body-bytes");
    }

    @Test
    void theDeployedPublisherDoesNotRecordStackTracesOfSampledNettyBuffers() throws Exception {
        var settings = new YamlPropertySourceLoader().load("publisher", new ClassPathResource("application.yml")).get(0);

        assertThat(settings.getProperty("spring.netty.leak-detection")).hasToString("disabled");
    }
}

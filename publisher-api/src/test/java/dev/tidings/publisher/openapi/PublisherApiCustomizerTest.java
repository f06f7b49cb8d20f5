package dev.tidings.publisher.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;

import dev.tidings.schema.NotificationRules;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.config.TestProperties;
import dev.tidings.publisher.publish.PublishLimits;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.junit.jupiter.api.Test;

/** The document states the limits the service enforces, from the same constants and settings. */
class PublisherApiCustomizerTest {

    final PublisherProperties properties = TestProperties.publisher("max-payload-bytes", "2048", "max-batch-size",
            "50", "max-ttl", "2h");
    final Map<String, Schema> schemas = document(properties).getComponents().getSchemas();

    @Test
    void theDocumentsIdAndEventRulesAreTheValidatorsConstants() {
        Schema<?> id = property("PublishRequest", "id");
        Schema<?> event = property("PublishRequest", "event");

        assertThat(id.getMaxLength()).isEqualTo(NotificationRules.MAX_ID_LENGTH);
        assertThat(id.getPattern()).isEqualTo("^" + NotificationRules.ID_PATTERN + "$");
        assertThat(event.getMaxLength()).isEqualTo(NotificationRules.MAX_EVENT_LENGTH);
        assertThat(event.getPattern()).isEqualTo("^" + NotificationRules.EVENT_PATTERN + "$");
    }

    @Test
    void theDocumentsTargetRulesAreTheValidatorsConstants() {
        Schema<?> ids = property("Target", "ids");

        assertThat(property("Target", "type").getEnum()).isEqualTo(PublishLimits.TARGET_TYPES);
        assertThat(property("ReplayTargetFilter", "type").getEnum()).isEqualTo(PublishLimits.TARGET_TYPES);
        assertThat(ids.getMinItems()).isEqualTo(1);
        assertThat(ids.getMaxItems()).isEqualTo(NotificationRules.MAX_TARGET_IDS);
        assertThat(ids.getItems().getMaxLength()).isEqualTo(NotificationRules.MAX_TARGET_ID_LENGTH);
    }

    @Test
    void theDocumentsConfigurableLimitsAreTheSettingsTheServiceRunsWith() {
        Schema<?> ttl = property("PublishRequest", "ttlSeconds");

        assertThat(ttl.getMinimum()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(ttl.getMaximum()).isEqualByComparingTo(BigDecimal.valueOf(7200));
        assertThat(property("PublishRequest", "payload").getDescription()).contains("at most 2048 bytes");
        assertThat(property("BatchRequest", "notifications").getMaxItems()).isEqualTo(50);
    }

    private Schema<?> property(String schema, String name) {
        assertThat(schemas).containsKey(schema);
        Schema<?> property = (Schema<?>) schemas.get(schema).getProperties().get(name);
        assertThat(property).as("%s.%s", schema, name).isNotNull();
        return property;
    }

    private static OpenAPI document(PublisherProperties properties) {
        OpenAPI openApi = new OpenAPI();
        new PublisherApiCustomizer(properties).customise(openApi);
        return openApi;
    }
}

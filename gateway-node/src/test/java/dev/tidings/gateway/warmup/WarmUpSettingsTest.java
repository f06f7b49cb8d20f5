package dev.tidings.gateway.warmup;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.env.PropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WarmUpSettingsTest {

    @Test
    void theGatewaysSettingsKeepTheNodeOutOfItsReadinessGroupWhileItWarmsUp() throws Exception {
        PropertySource<?> settings = new YamlPropertySourceLoader()
                .load("gateway", new ClassPathResource("application.yml")).get(0);

        assertThat(String.valueOf(settings.getProperty("management.endpoint.health.group.readiness.include")))
                .isEqualTo("readinessState,warmUp");
        assertThat(String.valueOf(settings.getProperty("tidings.gateway.warm-up.duration")))
                .isEqualTo("${TIDINGS_WARM_UP:30s}");
    }

    @Test
    void theWarmUpConnectsWhereTheNodeListensAndSkipsANodeServingTls() {
        assertThat(WarmUpConfiguration.endpoint(new MockEnvironment(), 8081)).hasToString("ws://127.0.0.1:8081/ws");
        assertThat(WarmUpConfiguration.endpoint(new MockEnvironment().withProperty("server.address", "0.0.0.0"), 8081))
                .hasToString("ws://127.0.0.1:8081/ws");
        assertThat(WarmUpConfiguration.endpoint(new MockEnvironment().withProperty("server.address", "10.1.2.3"), 80))
                .hasToString("ws://10.1.2.3:80/ws");
        assertThat(WarmUpConfiguration.endpoint(new MockEnvironment().withProperty("server.address", "::1"), 80))
                .hasToString("ws://[::1]:80/ws");
        assertThat(WarmUpConfiguration.endpoint(new MockEnvironment().withProperty("server.ssl.enabled", "true"), 443))
                .isNull();
    }

    @Test
    void aWarmUpLongerThanFiveMinutesOrWithoutConnectionsIsRefused() {
        assertThat(new WarmUpProperties(Duration.ZERO, 1).duration()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> new WarmUpProperties(Duration.ofMinutes(6), 64))
                .withMessageContaining("tidings.gateway.warm-up.duration");
        assertThatIllegalArgumentException().isThrownBy(() -> new WarmUpProperties(Duration.ofSeconds(10), 0))
                .withMessageContaining("tidings.gateway.warm-up.connections");
    }
}

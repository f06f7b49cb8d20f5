package dev.tidings.common.warmup;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class SelfAddressTest {

    @Test
    void aServiceIsCalledWhereItListensOnLoopbackWhenItListensEverywhereAndNotAtAllWhenItServesTls() {
        assertThat(SelfAddress.of(environment(Map.of()), "http", 8080)).hasToString("http://127.0.0.1:8080");
        assertThat(SelfAddress.of(environment(Map.of("server.address", "0.0.0.0")), "ws", 8081))
                .hasToString("ws://127.0.0.1:8081");
        assertThat(SelfAddress.of(environment(Map.of("server.address", "::")), "http", 80))
                .hasToString("http://127.0.0.1:80");
        assertThat(SelfAddress.of(environment(Map.of("server.address", "10.1.2.3")), "http", 80))
                .hasToString("http://10.1.2.3:80");
        assertThat(SelfAddress.of(environment(Map.of("server.address", "::1")), "ws", 80))
                .hasToString("ws://[::1]:80");
        assertThat(SelfAddress.of(environment(Map.of("server.ssl.enabled", "true")), "http", 443)).isNull();
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}

package dev.tidings.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * What a gateway does when deployed with nothing but its required settings: no foreign browser
 * origin may open a WebSocket, the actuator is not on the port clients reach, and Netty does not sample
 * buffers for leaks. Local runs ({@code ./tidings up}, the end-to-end tests) ask for the permissive settings
 * explicitly; the gateway's own tests keep Netty's leak sampling.
 */
class ProductionDefaultsTest {

    @Test
    void byDefaultNoForeignOriginIsAllowedAndTheActuatorIsOnItsOwnPort() throws Exception {
        Binder binder = productionSettings();

        List<String> origins = binder.bind("tidings.gateway.allowed-origins", Bindable.listOf(String.class))
                .orElse(List.of("(unset: the record's default)"));
        Integer server = binder.bind("server.port", Integer.class).get();
        Integer management = binder.bind("management.server.port", Integer.class).orElse(null);

        assertThat(origins).as("allowed origins").isEmpty();
        assertThat(management).as("management.server.port").isNotNull().isNotEqualTo(server);
    }

    @Test
    void byDefaultNettyDoesNotRecordStackTracesOfSampledBuffers() throws Exception {
        assertThat(productionSettings().bind("spring.netty.leak-detection", String.class).get())
                .isEqualTo("disabled");
    }

    /** The gateway's application.yml alone: no environment, no system properties, no test settings. */
    private static Binder productionSettings() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        return new Binder(ConfigurationPropertySources.from(environment.getPropertySources()),
                new org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver(environment));
    }
}

package dev.tidings.publisher.config;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link PublisherProperties} bound as Spring Boot binds them, from a few {@code tidings.publisher.*} values. */
public final class TestProperties {

    private TestProperties() {
    }

    /** Defaults, overridden by {@code keyValues} (names without the {@code tidings.publisher.} prefix). */
    public static PublisherProperties publisher(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put("tidings.publisher." + keyValues[i], keyValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tidings.publisher",
                Bindable.of(PublisherProperties.class).withBindMethod(BindMethod.VALUE_OBJECT));
    }
}

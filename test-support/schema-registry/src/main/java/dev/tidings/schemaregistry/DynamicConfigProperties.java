package dev.tidings.schemaregistry;

import java.util.List;

import javax.enterprise.context.Dependent;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;

/**
 * The registry's list of settings that can be changed while it runs: none. Apicurio generates this
 * list with a Quarkus extension that Maven Central serves without its build-time part, so this module
 * leaves the extension out and produces the bean itself; static settings and the Confluent API do not
 * use it.
 */
@Dependent
public class DynamicConfigProperties {

    @Produces
    @Singleton
    DynamicConfigPropertyList none() {
        return new DynamicConfigPropertyList(List.of());
    }
}

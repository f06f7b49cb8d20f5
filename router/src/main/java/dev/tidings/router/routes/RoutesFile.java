package dev.tidings.router.routes;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A checked routes file.
 *
 * @param routes its routes, in file order, with distinct names
 * @param schemaRegistry the registry of {@code avro-confluent} routes; present whenever one exists
 */
public record RoutesFile(List<Route> routes, @Nullable SchemaRegistrySettings schemaRegistry) {

    public RoutesFile {
        routes = List.copyOf(routes);
    }
}

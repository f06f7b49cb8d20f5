package dev.tidings.router.routes;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;

/** Where the parts of the routes parser report a mistake at a node (its start mark). */
@FunctionalInterface
interface ProblemSink {

    void problem(@Nullable Node node, String message);
}

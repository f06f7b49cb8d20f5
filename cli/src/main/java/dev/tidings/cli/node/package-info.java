/** {@code tidings forget-node}: the Kafka consumer groups of gateway nodes, listed, shown and deleted once a node is gone for good. */
@NullMarked
package dev.tidings.cli.node;

import org.jspecify.annotations.NullMarked;

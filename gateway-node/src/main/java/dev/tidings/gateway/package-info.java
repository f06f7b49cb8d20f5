/** The gateway node: Kafka in, WebSocket frames out to the node's own sessions. */
@NullMarked
package dev.tidings.gateway;

import org.jspecify.annotations.NullMarked;

/** The WebSocket endpoint: the handshake's checks, then each connection's session and the frames its client sends. */
@NullMarked
package dev.tidings.gateway.ws;

import org.jspecify.annotations.NullMarked;

/** The WebSocket endpoint: handshake authentication, inbound frames, close codes. */
@NullMarked
package dev.tidings.gateway.ws;

import org.jspecify.annotations.NullMarked;

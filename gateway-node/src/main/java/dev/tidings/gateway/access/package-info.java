/** What every client connection's handshake checks, for the WebSocket and the event stream alike. */
@NullMarked
package dev.tidings.gateway.access;

import org.jspecify.annotations.NullMarked;

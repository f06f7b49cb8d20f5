/** The WebSocket client fleet (Netty event loops) and the parsing of server frames. */
@NullMarked
package dev.tidings.bench.ws;

import org.jspecify.annotations.NullMarked;

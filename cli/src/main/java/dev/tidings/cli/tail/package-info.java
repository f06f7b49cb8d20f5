/** {@code tidings tail}: a WebSocket client that prints what a gateway sends to a user, one JSON line per frame. */
@NullMarked
package dev.tidings.cli.tail;

import org.jspecify.annotations.NullMarked;

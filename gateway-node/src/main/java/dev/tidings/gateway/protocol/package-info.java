/**
 * The Tidings WebSocket protocol as a gateway speaks it: the frames it sends ({@link FrameEncoder}),
 * the frames a client may send ({@link ClientFrames}), and every reason it closes a connection, with
 * the close status the client gets ({@link CloseReason}). It knows no session, socket or consumer:
 * the gateway's other packages use it, and it uses none of them.
 */
@NullMarked
package dev.tidings.gateway.protocol;

import org.jspecify.annotations.NullMarked;

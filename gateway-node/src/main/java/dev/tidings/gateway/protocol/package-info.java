/**
 * The Tidings WebSocket protocol as a gateway speaks it: the frames it sends ({@link
 * dev.tidings.gateway.protocol.FrameEncoder}), the frames a client may send ({@link
 * dev.tidings.gateway.protocol.ClientFrames}) and every reason it closes a connection, with its
 * close status ({@link dev.tidings.gateway.protocol.CloseReason}). It knows no session, socket or
 * consumer: every other package of the gateway uses it, and it uses none of them.
 */
@NullMarked
package dev.tidings.gateway.protocol;

import org.jspecify.annotations.NullMarked;

package dev.tidings.gateway.session;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * How a session's frames are put on its connection: as WebSocket text frames, or as Server-Sent
 * Events on a streamed HTTP response. A frame is the protocol's JSON, UTF-8; the framing wraps it.
 */
public interface Framing {

    /** WebSocket text frames; sessions of one event loop share a broadcast's encoded frame ({@link WireFrame}). */
    Framing WEBSOCKET = new Framing() {
        @Override
        public Object message(byte[] frame) {
            return new TextWebSocketFrame(Unpooled.wrappedBuffer(frame));
        }

        @Override
        public boolean takesWireFrames() {
            return true;
        }
    };

    /** The message written to the connection for one frame. */
    Object message(byte[] frame);

    /** Whether a frame already encoded once per event loop as a WebSocket text frame can be written as it is. */
    boolean takesWireFrames();
}

package dev.tidings.gateway.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A server-to-client WebSocket text frame as it goes on the wire (RFC 6455 §5.2: final fragment, opcode
 * text, unmasked, then the payload), built once and written to every session of an event loop as a
 * duplicate sharing its memory. Server frames carry no mask, so the bytes are the same for every
 * client; Netty's frame encoder, which would allocate and copy a buffer per session, passes a
 * {@link ByteBuf} through untouched.
 *
 * <p>Stateless; the buffers it returns belong to the caller.
 */
final class WireFrame {

    private static final int FIN_TEXT = 0x81;

    private WireFrame() {
    }

    /** The text frame of {@code payload} (UTF-8), in a buffer from {@code alloc}. */
    static ByteBuf text(ByteBufAllocator alloc, byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf wire = alloc.directBuffer(header + length, header + length);
        wire.writeByte(FIN_TEXT);
        if (length < 126) {
            wire.writeByte(length);
        }
        else if (length <= 0xFFFF) {
            wire.writeByte(126);
            wire.writeShort(length);
        }
        else {
            wire.writeByte(127);
            wire.writeLong(length);
        }
        wire.writeBytes(payload);
        return wire;
    }
}

package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/** What tests write to sessions and read back from their connections. */
final class Wire {

    /** A frame of 1 KiB (a JSON string). */
    static final byte[] KILOBYTE = bytes("\"" + "x".repeat(1022) + "\"");

    private Wire() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The text frames written to the connection, in order: frames given to Netty's encoder as they are,
     * frames already put on the wire ({@link WireFrame}) as a client's decoder reads them.
     */
    static List<String> texts(EmbeddedChannel channel) {
        List<String> texts = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            if (out instanceof ByteBuf wire) {
                EmbeddedChannel client = new EmbeddedChannel(clientDecoder());
                client.writeInbound(wire);
                out = client.readInbound();
                assertThat(client.finishAndReleaseAll()).as("one whole frame, nothing else").isFalse();
            }
            TextWebSocketFrame frame = (TextWebSocketFrame) out;
            texts.add(frame.text());
            frame.release();
        }
        return texts;
    }

    /** A client's frame decoder: server frames are not masked. */
    static WebSocket08FrameDecoder clientDecoder() {
        return new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false).build());
    }
}

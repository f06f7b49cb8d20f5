package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.Test;

/** A pre-encoded text frame is byte for byte what Netty's server-side encoder writes, at every length form. */
class WireFrameTest {

    @Test
    void everyLengthFormIsTheFrameNettysServerEncoderWritesAndAClientDecoderReads() {
        for (int length : new int[] { 0, 1, 125, 126, 127, 65_535, 65_536, 200_000 }) {
            byte[] payload = "é".repeat(length / 2).concat(length % 2 == 1 ? "x" : "").getBytes(StandardCharsets.UTF_8);
            ByteBuf wire = WireFrame.text(ByteBufAllocator.DEFAULT, payload);

            assertThat(ByteBufUtil.getBytes(wire)).as("length %d", length).isEqualTo(nettyEncoded(payload));
            assertThat(clientDecoded(wire.retainedDuplicate())).isEqualTo(payload);
            assertThat(wire.release()).isTrue();
        }
    }

    private static byte[] nettyEncoded(byte[] payload) {
        EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        server.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteBuf encoded = Unpooled.buffer();
        for (ByteBuf part; (part = server.readOutbound()) != null;) {
            encoded.writeBytes(part);
            part.release();
        }
        server.finishAndReleaseAll();
        byte[] bytes = ByteBufUtil.getBytes(encoded);
        encoded.release();
        return bytes;
    }

    private static byte[] clientDecoded(ByteBuf wire) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        client.writeInbound(wire);
        TextWebSocketFrame frame = client.readInbound();
        byte[] text = ByteBufUtil.getBytes(frame.content());
        frame.release();
        client.finishAndReleaseAll();
        return text;
    }
}

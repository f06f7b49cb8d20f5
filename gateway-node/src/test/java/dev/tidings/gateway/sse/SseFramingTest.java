package dev.tidings.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import dev.tidings.gateway.protocol.CloseReason;
import io.netty.handler.codec.http.DefaultHttpContent;
import org.junit.jupiter.api.Test;

/** Frames as Server-Sent Events, parsed as a browser's EventSource would. */
class SseFramingTest {

    @Test
    void aFrameWhoseLastMemberIsItsCursorIsAnEventWithThatId() {
        byte[] frame = bytes("{\"type\":\"notification\",\"id\":\"n1\",\"payload\":{},\"cursor\":\"AaJM-_x9\"}");

        assertThat(text(SseFraming.event(null, frame)))
                .isEqualTo("id: AaJM-_x9\ndata: " + new String(frame, StandardCharsets.UTF_8) + "\n\n");
    }

    @Test
    void aFrameWithoutACursorIsAnEventWithoutAnId() {
        assertThat(text(SseFraming.event(null, bytes("{\"type\":\"pong\"}")))).isEqualTo("data: {\"type\":\"pong\"}\n\n");
        assertThat(SseFraming.cursorOf(bytes("{\"type\":\"x\",\"note\":\"cursor\"}"))).isNull();
        assertThat(SseFraming.cursorOf(bytes("{\"payload\":{\"cursor\":\"abc\"}}"))).as("a payload's member").isNull();
    }

    @Test
    void aLineBreakInsideAFrameStartsAnotherDataLineSoTheEventStaysOneEvent() {
        assertThat(text(SseFraming.event(null, bytes("{\"a\":\n1}")))).isEqualTo("data: {\"a\":\ndata: 1}\n\n");
    }

    @Test
    void aCloseIsAnEventOfItsOwnTypeWithTheWebSocketCodeAndReason() {
        DefaultHttpContent close = SseFraming.close(CloseReason.TOKEN_EXPIRED.status());
        try {
            assertThat(close.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("event: close\ndata: {\"code\":1008,\"reason\":\"token expired\"}\n\n");
        }
        finally {
            close.release();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

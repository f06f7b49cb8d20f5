package dev.tidings.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ServerFrameTest {

    private static ServerFrame parse(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return ServerFrame.parse(bytes, 0, bytes.length);
    }

    @Test
    void readsIdSeqPublishTimeAndRunOfAGatewayNotificationFrame() {
        ServerFrame frame = parse("{\"type\":\"notification\",\"id\":\"3f1c\",\"event\":\"bench\","
                + "\"payload\":{\"t\":1764086400123456,\"seq\":17,\"run\":\"ab12\",\"pad\":\"xxxx\"},"
                + "\"target\":{\"type\":\"group\",\"ids\":[\"g3\"]},\"publishedAt\":\"2025-11-25T16:00:00Z\","
                + "\"cursor\":\"AAEC\"}");

        assertThat(frame.isNotification()).isTrue();
        assertThat(frame.id()).isEqualTo("3f1c");
        assertThat(frame.seq()).isEqualTo(17);
        assertThat(frame.publishedMicros()).isEqualTo(1764086400123456L);
        assertThat(frame.run()).isEqualTo("ab12");
    }

    @Test
    void readsAWelcomeFrameAsNotANotification() {
        ServerFrame frame = parse("{\"type\":\"welcome\",\"node\":\"gw-1\",\"cursor\":\"AAEC\"}");

        assertThat(frame.type()).isEqualTo("welcome");
        assertThat(frame.isNotification()).isFalse();
        assertThat(frame.seq()).isEqualTo(-1);
    }

    @Test
    void toleratesAForeignPayloadWithoutBenchFields() {
        ServerFrame frame = parse("{\"type\":\"notification\",\"id\":\"x\",\"payload\":{\"grade\":{\"a\":[1,2]}}}");

        assertThat(frame.seq()).isEqualTo(-1);
        assertThat(frame.run()).isNull();
    }

    @Test
    void rejectsTextThatIsNotAJsonObject() {
        assertThatThrownBy(() -> parse("[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("{\"type\":")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void skipsTheCursorUnlessAskedForIt() {
        byte[] bytes = "{\"type\":\"notification\",\"id\":\"x\",\"payload\":{\"seq\":1},\"cursor\":\"AAEC\"}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(ServerFrame.parse(bytes, 0, bytes.length).cursor()).isNull();
        assertThat(ServerFrame.parse(bytes, 0, bytes.length, true).cursor()).isEqualTo("AAEC");
    }

    @Test
    void readsRecoveredReplayedAndCursorOfAResumedFrame() {
        byte[] bytes = "{\"type\":\"resumed\",\"recovered\":true,\"replayed\":12,\"cursor\":\"AQID\"}"
                .getBytes(StandardCharsets.UTF_8);

        ServerFrame frame = ServerFrame.parse(bytes, 0, bytes.length, true);

        assertThat(frame.isResumed()).isTrue();
        assertThat(frame.recovered()).isTrue();
        assertThat(frame.replayed()).isEqualTo(12);
        assertThat(frame.cursor()).isEqualTo("AQID");
    }

    @Test
    void readsAResumedFrameThatCouldNotRecoverAsNotRecovered() {
        ServerFrame frame = parse("{\"type\":\"resumed\",\"recovered\":false,\"replayed\":0}");

        assertThat(frame.recovered()).isFalse();
        assertThat(frame.replayed()).isZero();
        assertThat(parse("{\"type\":\"pong\"}").replayed()).as("absent").isEqualTo(-1);
    }
}

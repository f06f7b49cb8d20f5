package dev.tidings.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientFramesTest {

    @Test
    void aPingFrameIsAPingWhateverElseItCarries() {
        assertThat(ClientFrames.parse("{\"type\":\"ping\"}")).isInstanceOf(ClientFrames.Ping.class);
        assertThat(ClientFrames.parse(" {\"type\":\"ping\",\"extra\":[1,{\"a\":null}]} "))
                .isInstanceOf(ClientFrames.Ping.class);
    }

    @Test
    void aResumeFrameCarriesItsCursorVerbatim() {
        assertThat(ClientFrames.parse("{\"type\":\"resume\",\"cursor\":\"AQID-_x\"}"))
                .isEqualTo(new ClientFrames.Resume("AQID-_x"));
    }

    @Test
    void aRefreshFrameCarriesItsTokenVerbatim() {
        assertThat(ClientFrames.parse("{\"type\":\"refresh\",\"token\":\"eyJ.a.b\"}"))
                .isEqualTo(new ClientFrames.Refresh("eyJ.a.b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"refresh\"}", "{\"type\":\"refresh\",\"token\":7}",
            "{\"type\":\"refresh\",\"token\":\"\"}", "{\"type\":\"refresh\",\"token\":{}}"})
    void aRefreshWithoutAStringTokenIsABadFrame(String text) {
        assertThat(ClientFrames.parse(text))
                .isEqualTo(new ClientFrames.Invalid(ErrorCode.BAD_FRAME, "refresh needs a string token"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"resume\"}", "{\"type\":\"resume\",\"cursor\":42}",
            "{\"type\":\"resume\",\"cursor\":null}", "{\"type\":\"resume\",\"cursor\":\"\"}",
            "{\"type\":\"resume\",\"cursor\":[\"a\"]}"})
    void aResumeWithoutAStringCursorIsABadFrame(String text) {
        assertThat(ClientFrames.parse(text))
                .isEqualTo(new ClientFrames.Invalid(ErrorCode.BAD_FRAME, "resume needs a string cursor"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not json", "{", "{\"type\":", "{\"type\":\"ping\"", "\"ping\"x", "\u0000",
            "{\"type\":\"ping\"}}", "{'type':'ping'}"})
    void textThatIsNotJsonIsABadFrame(String text) {
        assertThat(ClientFrames.parse(text)).isInstanceOf(ClientFrames.Invalid.class)
                .extracting(f -> ((ClientFrames.Invalid) f).code()).isEqualTo(ErrorCode.BAD_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"type\":\"ping\"}]", "\"ping\"", "42", "null", "true"})
    void jsonThatIsNotAnObjectIsABadFrame(String text) {
        assertThat(ClientFrames.parse(text))
                .isEqualTo(new ClientFrames.Invalid(ErrorCode.BAD_FRAME, "frame must be a JSON object"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\":null}", "{\"type\":1}", "{\"type\":\"PING\"}",
            "{\"type\":\"subscribe\",\"group\":\"Class:201901\"}", "{\"type\":\"join\",\"user\":\"alice\"}",
            "{\"type\":{\"$ne\":1}}"})
    void anUnknownOrMissingTypeIsABadFrameAndNeverASubscription(String text) {
        assertThat(ClientFrames.parse(text))
                .isEqualTo(new ClientFrames.Invalid(ErrorCode.BAD_FRAME,
                        "unknown frame type; expected ping, resume or refresh"));
    }

    @Test
    void deeplyNestedJsonIsRefusedBeforeItCostsStack() {
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThat(ClientFrames.parse(deep)).isInstanceOf(ClientFrames.Invalid.class);
    }

    @Test
    void anAbsurdlyLongNumberIsRefused() {
        assertThat(ClientFrames.parse("{\"type\":\"ping\",\"n\":" + "9".repeat(10_000) + "}"))
                .isInstanceOf(ClientFrames.Invalid.class);
    }
}

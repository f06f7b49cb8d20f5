package dev.tidings.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.tidings.schema.Notification;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The notification frame as clients read it, built once per record from the record's JSON payload. */
class FrameEncoderTest {

    final FrameEncoder encoder = new FrameEncoder();
    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aFrameCarriesTheRecordsFieldsAndItsPayloadAsAnObject() {
        String frame = text(notification("{\"grade\":\"A\",\"nested\":{\"list\":[1,true,null]}}",
                new Target(TargetType.GROUP, List.of("Class:201901", "Class:201902"))));

        JsonNode node = json.readTree(frame);
        assertThat(node.get("type").asString()).isEqualTo("notification");
        assertThat(node.get("id").asString()).isEqualTo("n-1");
        assertThat(node.get("event").asString()).isEqualTo("grade.published");
        assertThat(node.get("payload")).isEqualTo(json.readTree("{\"grade\":\"A\",\"nested\":{\"list\":[1,true,null]}}"));
        assertThat(node.get("target").get("type").asString()).isEqualTo("group");
        assertThat(node.get("target").get("ids")).hasSize(2);
        assertThat(node.get("publishedAt").asString()).isEqualTo("2026-11-25T10:15:30.123Z");
        assertThat(node.has("replay")).isFalse();
        assertThat(frame).endsWith("}").doesNotContain("cursor");
    }

    @Test
    void numbersStringsAndUnicodeOfThePayloadReachTheClientExactlyAsPublished() {
        String frame = text(notification(
                "{\"price\":1.10,\"big\":123456789012345678901234567890,\"exp\":1e-7,\"text\":\"é \\\"q\\\" \\u2028\"}",
                new Target(TargetType.BROADCAST, List.of())));

        assertThat(frame).contains("\"price\":1.10", "\"big\":123456789012345678901234567890");
        assertThat(json.readTree(frame).get("payload").get("exp").asDouble()).isEqualTo(1e-7);
        assertThat(json.readTree(frame).get("payload").get("text").asString()).isEqualTo("é \"q\" \u2028");
        assertThat(json.readTree(frame).get("target").has("ids")).as("broadcast names nobody").isFalse();
    }

    @Test
    void idsAndEventNamesAreEscapedNotSplicedIntoTheFrame() {
        Notification n = notification("{}", new Target(TargetType.USER, List.of("al\"ice")));
        n.setEvent("e\",\"type\":\"welcome");

        JsonNode node = json.readTree(text(n));

        assertThat(node.get("type").asString()).isEqualTo("notification");
        assertThat(node.get("event").asString()).isEqualTo("e\",\"type\":\"welcome");
        assertThat(node.get("target").get("ids").get(0).asString()).isEqualTo("al\"ice");
    }

    @Test
    void aReadFrameNamesTheIdsMarkedAndTheUnreadCount() {
        JsonNode ids = json.readTree(encoder.read(List.of("n-1", "n\"2"), 3, false));
        JsonNode all = json.readTree(encoder.read(List.of(), 0, true));

        assertThat(ids).isEqualTo(json.readTree("{\"type\":\"read\",\"ids\":[\"n-1\",\"n\\\"2\"],\"unread\":3}"));
        assertThat(all).isEqualTo(json.readTree("{\"type\":\"read\",\"ids\":[],\"all\":true,\"unread\":0}"));
    }

    @Test
    void aReplayedRecordIsMarkedAsAReplay() {
        Notification n = notification("{}", new Target(TargetType.BROADCAST, List.of()));
        n.setReplayOf("n-0");

        assertThat(json.readTree(text(n)).get("replay").asBoolean()).isTrue();
    }

    @Test
    void aPayloadThatIsNotAJsonObjectIsAPoisonRecord() {
        for (String payload : List.of("[1,2]", "\"text\"", "42", "null", "", "{\"open\":", "{\"a\":1} {\"b\":2}", "{a:1}")) {
            assertThatThrownBy(() -> encoder.notification(notification(payload, new Target(TargetType.BROADCAST,
                    List.of())))).as(payload).isInstanceOf(PoisonRecordException.class);
        }
    }

    @Test
    void theCursorIsAppendedAsTheFramesLastFieldAfterMultiByteText() {
        byte[] base = encoder.notification(notification("{\"text\":\"é ✓ 😀\"}", new Target(TargetType.BROADCAST,
                List.of())));

        byte[] framed = FrameEncoder.withCursor(base, "AQID-_x");

        JsonNode node = json.readTree(new String(framed, StandardCharsets.UTF_8));
        assertThat(node.get("cursor").asString()).isEqualTo("AQID-_x");
        assertThat(node.get("payload").get("text").asString()).isEqualTo("é ✓ 😀");
        assertThat(framed).hasSize(base.length + ",\"cursor\":\"AQID-_x\"".length());
        assertThat(FrameEncoder.withCursor(base, null)).isSameAs(base);
    }

    @Test
    void framesBuiltOneAfterAnotherOnOneThreadEachKeepTheirOwnBytes() {
        String large = "{\"big\":\"" + "x".repeat(100_000) + "\"}";
        byte[] first = encoder.notification(notification("{\"n\":1}", new Target(TargetType.USER, List.of("alice"))));
        String firstText = new String(first, StandardCharsets.UTF_8);
        byte[] outsized = encoder.notification(notification(large, new Target(TargetType.BROADCAST, List.of())));
        byte[] after = encoder.notification(notification("{\"n\":2}", new Target(TargetType.GROUP, List.of("g"))));
        assertThatThrownBy(() -> encoder.notification(notification("{\"cut\":", new Target(TargetType.BROADCAST,
                List.of())))).isInstanceOf(PoisonRecordException.class);
        byte[] afterPoison = encoder.notification(notification("{\"n\":3}", new Target(TargetType.USER,
                List.of("bob"))));

        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(firstText);
        assertThat(json.readTree(first).get("payload").get("n").asInt()).isEqualTo(1);
        assertThat(json.readTree(outsized).get("payload").get("big").asString()).hasSize(100_000);
        assertThat(json.readTree(after).get("payload").get("n").asInt()).isEqualTo(2);
        assertThat(json.readTree(after).get("target").get("type").asString()).isEqualTo("group");
        assertThat(json.readTree(afterPoison).get("payload").get("n").asInt()).isEqualTo(3);
        assertThat(json.readTree(afterPoison).get("publishedAt").asString()).isEqualTo("2026-11-25T10:15:30.123Z");
    }

    private String text(Notification n) {
        return new String(encoder.notification(n), StandardCharsets.UTF_8);
    }

    private static Notification notification(String payload, Target target) {
        return Notification.newBuilder()
                .setId("n-1")
                .setEvent("grade.published")
                .setTarget(target)
                .setPayload(payload)
                .setPublishedAt(Instant.parse("2026-11-25T10:15:30.123Z"))
                .setSource("grades-service")
                .build();
    }
}

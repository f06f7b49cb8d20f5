package dev.tidings.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotificationScanTest {

    private static final String GATEWAY_FRAME = "{\"type\":\"notification\",\"id\":\"3f1c-9a\",\"event\":\"bench\","
            + "\"payload\":{\"t\":1764086400123456,\"seq\":17,\"run\":\"ab12\",\"pad\":\"xxxx\"},"
            + "\"target\":{\"type\":\"group\",\"ids\":[\"g3\"]},\"publishedAt\":\"2025-11-25T16:00:00Z\","
            + "\"cursor\":\"AAEC\"}";

    @ParameterizedTest
    @ValueSource(strings = {
            GATEWAY_FRAME,
            "{\"type\":\"notification\",\"id\":\"0\",\"event\":\"e\",\"payload\":{\"t\":0,\"seq\":0,\"run\":\"\"}}",
            "{\"type\":\"notification\",\"id\":\"x\",\"event\":\"bench\",\"payload\":{\"t\":5,\"seq\":2147483647,\"run\":\"r\"},\"replay\":true}" })
    void readsAFrameInTheGatewaysLayoutExactlyAsTheJsonParserDoes(String frame) {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);

        ServerFrame scanned = NotificationScan.scan(bytes, 0, bytes.length);

        assertThat(scanned).isNotNull().isEqualTo(ServerFrame.parseJson(bytes, 0, bytes.length, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // an escape in the id, the event or the run
            "{\"type\":\"notification\",\"id\":\"a\\\"b\",\"event\":\"bench\",\"payload\":{\"t\":1,\"seq\":2,\"run\":\"r\"}}",
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\\u0065\",\"payload\":{\"t\":1,\"seq\":2,\"run\":\"r\"}}",
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":1,\"seq\":2,\"run\":\"r\\/1\"}}",
            // a non-ASCII id
            "{\"type\":\"notification\",\"id\":\"é\",\"event\":\"b\",\"payload\":{\"t\":1,\"seq\":2,\"run\":\"r\"}}",
            // another field order, or whitespace
            "{\"id\":\"a\",\"type\":\"notification\",\"event\":\"b\",\"payload\":{\"t\":1,\"seq\":2,\"run\":\"r\"}}",
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"seq\":2,\"t\":1,\"run\":\"r\"}}",
            "{\"type\": \"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":1,\"seq\":2,\"run\":\"r\"}}",
            // numbers the scan does not read: fraction, exponent, sign, leading zero, too long for an int
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":1.5,\"seq\":2,\"run\":\"r\"}}",
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":1e3,\"seq\":2,\"run\":\"r\"}}",
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":-1,\"seq\":2,\"run\":\"r\"}}",
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":01,\"seq\":2,\"run\":\"r\"}}",
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":1,\"seq\":2147483648,\"run\":\"r\"}}",
            // a foreign payload, a welcome, a cut-off frame
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"grade\":\"A\"}}",
            "{\"type\":\"welcome\",\"node\":\"gw-1\"}",
            "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":1,\"seq\":2,\"run\":\"r" })
    void leavesEveryOtherFrameToTheJsonParser(String frame) {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);

        assertThat(NotificationScan.scan(bytes, 0, bytes.length)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-12-07T04:15:30Z", "2026-12-07T04:15:30.1Z", "2026-12-07T04:15:30.123Z",
            "2026-12-07T04:15:30.123456Z", "2026-12-07T04:15:30.123456789Z", "2024-02-29T23:59:59.999Z",
            "1970-01-01T00:00:00Z", "2000-03-01T00:00:00.5Z", "2026-12-07T04:15:30.Z" })
    void readsThePublishersAcceptanceTimeAsTheJsonParserDoes(String publishedAt) {
        String frame = GATEWAY_FRAME.replace("2025-11-25T16:00:00Z", publishedAt);
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);

        ServerFrame scanned = NotificationScan.scan(bytes, 0, bytes.length);

        assertThat(scanned).isNotNull();
        assertThat(scanned.acceptedMillis()).isEqualTo(Instant.parse(publishedAt).toEpochMilli());
        assertThat(scanned).isEqualTo(ServerFrame.parseJson(bytes, 0, bytes.length, false));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ",\"publishedAt\":\"yesterday\"", ",\"publishedAt\":\"2026-12-07T04:15:30\"",
            ",\"publishedAt\":\"2026-12-07T04:15:30.1234567890Z\"", ",\"publishedAt\":\"2026-13-07T04:15:30Z\"",
            ",\"publishedAt\":17", ",\"publishedAt\":{\"at\":\"2026-12-07T04:15:30Z\"}" })
    void readsNoAcceptanceTimeFromAFrameWithoutAnInstant(String publishedAt) {
        String frame = "{\"type\":\"notification\",\"id\":\"a\",\"event\":\"b\",\"payload\":{\"t\":1,\"seq\":2,"
                + "\"run\":\"r\"}" + publishedAt + "}";
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);

        ServerFrame scanned = NotificationScan.scan(bytes, 0, bytes.length);

        assertThat(scanned).isNotNull();
        assertThat(scanned.seq()).isEqualTo(2);
        assertThat(scanned.acceptedMillis()).isEqualTo(-1);
        assertThat(ServerFrame.parseJson(bytes, 0, bytes.length, false).acceptedMillis()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 3, 40 })
    void readsOnlyTheBytesItIsGiven(int padding) {
        byte[] frame = GATEWAY_FRAME.getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[frame.length + 2 * padding];
        System.arraycopy(frame, 0, buffer, padding, frame.length);

        ServerFrame scanned = NotificationScan.scan(buffer, padding, frame.length);

        assertThat(scanned).isNotNull();
        assertThat(scanned.seq()).isEqualTo(17);
        assertThat(scanned.publishedMicros()).isEqualTo(1764086400123456L);
        assertThat(NotificationScan.scan(buffer, padding, 40)).isNull();
    }
}

package dev.tidings.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ErrorCodeTest {

    @Test
    void theErrorCodesAreTheProtocolsSnakeCaseNames() {
        assertThat(ErrorCode.values()).extracting(ErrorCode::wire)
                .containsExactly("bad_frame", "bad_cursor", "resume_in_progress", "bad_token", "rate_limited");
    }

    @Test
    void anErrorFrameCarriesItsCodeAndMessage() {
        JsonNode frame = JsonMapper.builder().build()
                .readTree(new FrameEncoder().error(ErrorCode.RATE_LIMITED, "too many resumes"));

        assertThat(frame.get("type").asString()).isEqualTo("error");
        assertThat(frame.get("code").asString()).isEqualTo("rate_limited");
        assertThat(frame.get("message").asString()).isEqualTo("too many resumes");
    }
}

package dev.tidings.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Any text a client can send is parsed into exactly one answer, and never throws. */
class ClientFramesProperties {

    @Property
    void arbitraryTextAlwaysParsesIntoAFrameOrAnError(@ForAll @StringLength(max = 512) String text) {
        ClientFrames.ClientFrame frame = ClientFrames.parse(text);

        assertThat(frame).isNotNull();
        if (frame instanceof ClientFrames.Invalid invalid) {
            assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(invalid.message()).isNotBlank();
        }
    }

    @Property
    void jsonShapedTextAlwaysParsesIntoAFrameOrAnError(@ForAll("jsonish") String text) {
        ClientFrames.ClientFrame frame = ClientFrames.parse(text);

        assertThat(frame).isNotNull();
        if (frame instanceof ClientFrames.Resume resume) {
            assertThat(resume.cursor()).isNotEmpty();
            assertThat(text).contains("resume");
        }
    }

    @Property
    void aResumeFrameKeepsAnyStringCursorExactly(@ForAll @StringLength(min = 1, max = 300) String cursor) {
        String escaped = cursor.replace("\\", "\\\\").replace("\"", "\\\"");
        StringBuilder json = new StringBuilder("{\"type\":\"resume\",\"cursor\":\"");
        for (char c : escaped.toCharArray()) {
            if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            }
            else {
                json.append(c);
            }
        }
        json.append("\"}");

        assertThat(ClientFrames.parse(json.toString())).isEqualTo(new ClientFrames.Resume(cursor));
    }

    /** Fragments of the protocol's own frames glued together: mostly near-valid JSON. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"type\"", "\"ping\"", "\"resume\"",
                "\"cursor\"", "\"AQID\"", "null", "true", "1", "-0.5e9", "\"\\u0000\"", "\"\\ud800\"", " ", "\"");
        return token.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }
}

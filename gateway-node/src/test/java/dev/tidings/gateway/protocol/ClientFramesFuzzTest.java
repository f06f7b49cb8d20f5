package dev.tidings.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the client-frame parser. A normal test run replays only the stored
 * inputs; {@code JAZZER_FUZZ=1 ./mvnw -pl gateway-node test -Dtest=ClientFramesFuzzTest} fuzzes.
 */
class ClientFramesFuzzTest {

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "20m")
    void anyClientTextGetsAFrameOrAnErrorAndNeverAnException(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        ClientFrames.ClientFrame frame = ClientFrames.parse(text);

        assertThat(frame).isNotNull();
        if (frame instanceof ClientFrames.Resume resume) {
            assertThat(resume.cursor()).isNotEmpty();
        }
    }
}

package dev.tidings.publisher.publish;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the publish request's binding and validation. A normal test run
 * replays only the stored inputs; {@code JAZZER_FUZZ=1 ./mvnw -pl publisher-api test
 * -Dtest=PublishRequestFuzzTest} fuzzes.
 */
class PublishRequestFuzzTest {

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "20m")
    void anyBodyIsA400Or413Or422OrAValidNotification(FuzzedDataProvider data) {
        boolean batch = data.consumeBoolean();
        String body = data.consumeRemainingAsString();
        if (batch) {
            PublishRequestHarness.batch(body);
        }
        else {
            PublishRequestHarness.publish(body);
        }
    }
}

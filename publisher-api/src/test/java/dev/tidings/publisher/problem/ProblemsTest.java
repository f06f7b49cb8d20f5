package dev.tidings.publisher.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.UncheckedIOException;
import java.util.Arrays;

import dev.tidings.publisher.publish.KafkaUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;

/** How a failure reads to the caller: the status, the problem type, a detail that names the limit, and the headers. */
class ProblemsTest {

    @Test
    void aProblemTakesItsStatusTypeAndTitleFromItsKind() {
        ProblemDetail problem = Problems.of(ProblemType.IDEMPOTENCY_CONFLICT, "id x was already used");

        assertThat(problem.getStatus()).isEqualTo(409);
        assertThat(problem.getType()).hasToString("https://tidings.dev/problems/idempotency-conflict");
        assertThat(problem.getTitle()).isEqualTo("Idempotency key conflict");
        assertThat(problem.getDetail()).isEqualTo("id x was already used");
        assertThat(problem.getInstance()).as("the handler adds the request path").isNull();
    }

    @Test
    void everyKindOfProblemHasATypeOfItsOwnUnderTheProductsProblemsPath() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::type))
                .doesNotHaveDuplicates()
                .allSatisfy(type -> assertThat(type.toString()).startsWith("https://tidings.dev/problems/"));
    }

    @Test
    void anInvalidFieldIsA422NamingTheFieldByItsJsonPath() {
        ProblemDetail problem = Problems.of(new InvalidFieldException("notifications[3].event", "is required"));

        assertThat(problem.getStatus()).isEqualTo(422);
        assertThat(problem.getType()).hasToString("https://tidings.dev/problems/invalid-field");
        assertThat(problem.getDetail()).isEqualTo("notifications[3].event: is required");
        assertThat(problem.getProperties()).containsExactly(entry("field", "notifications[3].event"));
    }

    @Test
    void aPayloadOrBatchOverItsLimitIsA413ThatSaysWhichLimit() {
        ProblemDetail problem = Problems.of(new PayloadTooLargeException("a batch holds at most 1000 notifications"));

        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getType()).hasToString("https://tidings.dev/problems/too-large");
        assertThat(problem.getDetail()).isEqualTo("a batch holds at most 1000 notifications");
    }

    @Test
    void aBodyCutOffAtTheSizeLimitIsA413HoweverDeepTheDecoderWrappedIt() {
        Throwable wrapped = new DecodingException("JSON decoding error",
                new UncheckedIOException(new BodyTooLargeException(1_048_576)));

        ProblemDetail problem = Problems.of(wrapped);

        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getType()).hasToString("https://tidings.dev/problems/too-large");
        assertThat(problem.getDetail()).contains("1048576 bytes", "tidings.publisher.max-body-bytes");
    }

    @Test
    void anUnexpectedFailureIsA500ThatShowsNoInternals() {
        ProblemDetail problem = Problems.of(new IllegalStateException("connection pool of host db-7 exhausted"));

        assertThat(problem.getStatus()).isEqualTo(500);
        assertThat(problem.getDetail()).doesNotContain("db-7");
    }

    @Test
    void aKafkaOutageIsA503ThatNamesTheIdToRetryWithAndWhenInTheBodyAndTheHeader() {
        ProblemDetail problem = Problems.of(new KafkaUnavailableException("Kafka did not acknowledge within 10000 ms",
                null).withId("n-1"));

        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getDetail()).isEqualTo("Kafka did not acknowledge within 10000 ms; nothing was "
                + "acknowledged, but it may still be written: retry with \"id\":\"n-1\" so that it is written once");
        assertThat(problem.getProperties()).containsExactly(
                entry(Problems.RETRY_AFTER_SECONDS, (long) KafkaUnavailableException.RETRY_AFTER_SECONDS),
                entry("id", "n-1"));
        assertThat(Problems.headers(problem).toSingleValueMap())
                .containsExactly(entry(HttpHeaders.RETRY_AFTER,
                        String.valueOf(KafkaUnavailableException.RETRY_AFTER_SECONDS)));
    }

    @Test
    void theRetryAfterHeaderIsAlwaysWhatTheProblemsOwnMemberSays() {
        ProblemDetail problem = Problems.retryAfter(Problems.of(ProblemType.TOO_MANY_REQUESTS, "slow down"), 7);

        assertThat(problem.getProperties()).containsEntry("retryAfterSeconds", 7L);
        assertThat(Problems.headers(problem).toSingleValueMap()).containsExactly(entry("Retry-After", "7"));
    }

    @Test
    void aMissingTokenIsChallengedForABearerToken() {
        ProblemDetail problem = Problems.of(ProblemType.UNAUTHORIZED, "missing Authorization: Bearer token");

        assertThat(Problems.headers(problem).toSingleValueMap()).containsExactly(entry("WWW-Authenticate", "Bearer"));
    }

    @Test
    void aProblemThatAsksForNoRetryAndNoTokenHasNoHeadersOfItsOwn() {
        assertThat(Problems.headers(Problems.of(ProblemType.FORBIDDEN, "token lacks scope x")).isEmpty()).isTrue();
        assertThat(Problems.headers(Problems.malformed()).isEmpty()).isTrue();
    }
}

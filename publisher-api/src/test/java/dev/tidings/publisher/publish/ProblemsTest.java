package dev.tidings.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.ProblemDetail;

/** How a failure reads to the caller: the status, the problem type, and a detail that names the limit. */
class ProblemsTest {

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
}

package dev.tidings.publisher.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.http.HttpServletRequest;

import dev.tidings.publisher.config.TestProperties;
import dev.tidings.publisher.publish.BodyTooLargeException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BodySizeLimitFilterTest {

    final JsonMapper json = JsonMapper.builder().build();
    final BodySizeLimitFilter filter = new BodySizeLimitFilter(
            TestProperties.publisher("max-payload-bytes", "100", "max-body-bytes", "1000"), json);

    @Test
    void aDeclaredContentLengthOverTheLimitIsA413ProblemWithoutReadingTheBody() throws Exception {
        MockHttpServletRequest request = post(new byte[1001]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("the request went no further").isNull();
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode problem = json.readTree(response.getContentAsString());
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("type").asString()).isEqualTo("https://tidings.dev/problems/too-large");
        assertThat(problem.get("detail").asString()).contains("1001 bytes", "tidings.publisher.max-body-bytes");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/notifications");
    }

    @Test
    void aChunkedBodyIsCutOffOnceItReadsPastTheLimit() throws Exception {
        MockHttpServletRequest request = chunked(new byte[1500]);
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> seen.set((HttpServletRequest) req));

        byte[] buffer = new byte[600];
        assertThat(seen.get().getInputStream().read(buffer)).isEqualTo(600);
        assertThatThrownBy(() -> seen.get().getInputStream().read(buffer))
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessageContaining("tidings.publisher.max-body-bytes");
    }

    @Test
    void aChunkedBodyReadThroughTheReaderIsCutOffToo() throws Exception {
        MockHttpServletRequest request = chunked("x".repeat(1500).getBytes(StandardCharsets.UTF_8));
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> seen.set((HttpServletRequest) req));

        assertThatThrownBy(() -> seen.get().getReader().lines().count())
                .hasRootCauseInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void aBodyExactlyAtTheLimitIsReadWhole() throws Exception {
        MockHttpServletRequest request = chunked(new byte[1000]);
        AtomicReference<byte[]> body = new AtomicReference<>();

        filter.doFilter(request, new MockHttpServletResponse(),
                (req, res) -> body.set(req.getInputStream().readAllBytes()));

        assertThat(body.get()).hasSize(1000);
    }

    @Test
    void aBodyTooLargeFailureEscapingTheChainIsStillAnsweredWith413() throws Exception {
        MockHttpServletRequest request = chunked(new byte[1500]);
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> req.getInputStream().readAllBytes());

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).startsWith("application/problem+json");
    }

    private static MockHttpServletRequest post(byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/notifications");
        request.setContentType("application/json");
        request.setContent(body);
        return request;
    }

    /** A request whose length is not declared, as with {@code Transfer-Encoding: chunked}. */
    private static MockHttpServletRequest chunked(byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/notifications") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }

            @Override
            public int getContentLength() {
                return -1;
            }
        };
        request.setContentType("application/json");
        request.setContent(body);
        return request;
    }
}

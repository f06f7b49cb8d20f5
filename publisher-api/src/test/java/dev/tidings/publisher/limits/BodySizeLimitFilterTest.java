package dev.tidings.publisher.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.tidings.publisher.config.TestProperties;
import dev.tidings.publisher.problem.BodyTooLargeException;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class BodySizeLimitFilterTest {

    final BodySizeLimitFilter filter = new BodySizeLimitFilter(
            TestProperties.publisher("max-payload-bytes", "100", "max-body-bytes", "1000"));

    @Test
    void aDeclaredContentLengthOverTheLimitIsRefusedWithoutReadingTheBody() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/notifications")
                .contentLength(1001).body(chunks(1001)));
        AtomicReference<ServerWebExchange> passed = new AtomicReference<>();

        assertThatThrownBy(() -> filter.filter(exchange, e -> {
            passed.set(e);
            return Mono.empty();
        }).block())
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("1001 bytes")
                .hasMessageContaining("tidings.publisher.max-body-bytes");
        assertThat(passed.get()).as("the request went no further").isNull();
    }

    @Test
    void aChunkedBodyFailsWithTheChunkThatCrossesTheLimit() {
        List<Integer> seen = new ArrayList<>();

        assertThatThrownBy(() -> filter.filter(chunked(chunks(600, 600, 300)), e -> e.getRequest().getBody()
                .doOnNext(buffer -> seen.add(buffer.readableByteCount())).then()).block())
                .hasCauseInstanceOf(BodyTooLargeException.class);
        assertThat(seen).as("only the chunks within the limit reached the reader").containsExactly(600);
    }

    @Test
    void aBodyExactlyAtTheLimitIsReadWhole() {
        List<Integer> seen = new ArrayList<>();

        filter.filter(chunked(chunks(400, 600)), e -> e.getRequest().getBody()
                .doOnNext(buffer -> seen.add(buffer.readableByteCount())).then()).block();

        assertThat(seen).containsExactly(400, 600);
    }

    @Test
    void aRequestUnderTheLimitReachesTheChainWithItsBodyCounted() {
        AtomicReference<ServerWebExchange> passed = new AtomicReference<>();

        filter.filter(chunked(chunks(10)), e -> {
            passed.set(e);
            return Mono.empty();
        }).block();

        assertThat(passed.get().getRequest()).isInstanceOf(BodySizeLimitFilter.LimitedRequest.class);
    }

    /** A request whose length is not declared, as with {@code Transfer-Encoding: chunked}. */
    private static MockServerWebExchange chunked(Flux<DataBuffer> body) {
        return MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/notifications").body(body));
    }

    private static Flux<DataBuffer> chunks(int... sizes) {
        return Flux.fromArray(java.util.Arrays.stream(sizes).boxed().toArray(Integer[]::new))
                .map(size -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[size]));
    }
}

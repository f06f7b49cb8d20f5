package dev.tidings.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.tidings.common.auth.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One connection's handler on its own, between a test's inbound messages (as the HTTP codec decodes them) and
 * Reactor Netty: a route that takes the requests whose path is {@code /take} and answers each when the test says.
 * {@link DirectPublishRouteIT} covers the same handler on a running service, byte for byte against WebFlux.
 */
class DirectPublishHandlerTest {

    static final Principal CALLER = new Principal("svc", Set.of(), Set.of(Principal.SCOPE_PUBLISH),
            Instant.parse("2100-01-01T00:00:00Z"));

    final HeldRoute route = new HeldRoute();
    final EmbeddedChannel channel = new EmbeddedChannel(new DirectPublishHandler(route));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aCloseAskedForWhileAnAnswerIsPendingWaitsForThatAnswer() {
        channel.writeInbound(request("/take", "{}"));
        assertThat(route.bodies).containsExactly("{}");

        ChannelFuture closed = channel.close();
        assertThat(closed.isDone()).as("the close while the answer is pending").isFalse();
        assertThat(channel.isOpen()).isTrue();

        route.answerNext(HttpResponseStatus.ACCEPTED);
        FullHttpResponse answer = channel.readOutbound();
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.ACCEPTED);
        answer.release();
        assertThat(closed.isSuccess()).as("the close once the answer is written").isTrue();
        assertThat(channel.isOpen()).isFalse();
        assertThat(route.answered).containsExactly(202);
    }

    @Test
    void aCloseAskedForBetweenRequestsClosesAtOnce() {
        channel.writeInbound(request("/take", "{}"));
        route.answerNext(HttpResponseStatus.ACCEPTED);
        ReferenceCountUtil.release(channel.readOutbound());

        assertThat(channel.close().isSuccess()).isTrue();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionLostWhileItsCloseWaitsForAnAnswerCompletesTheCloseAndDropsTheAnswer() {
        channel.writeInbound(request("/take", "{}"));
        ChannelFuture closed = channel.close();
        assertThat(closed.isDone()).isFalse();

        channel.unsafe().close(channel.newPromise()); // the peer gone: closed under the pipeline
        assertThat(closed.isSuccess()).as("the close asked for").isTrue();

        FullHttpResponse late = route.answerNext(HttpResponseStatus.ACCEPTED);
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(late.refCnt()).as("the late answer's buffer").isZero();
        assertThat(route.answered).isEmpty();
    }

    @Test
    void requestsArrivingWhileAnAnswerIsPendingWaitUntilItIsWritten() {
        channel.writeInbound(request("/take", "{\"n\":1}"));
        channel.writeInbound(request("/other", "{\"n\":2}"));
        channel.writeInbound(request("/take", "{\"n\":3}"));
        assertThat((Object) channel.readInbound()).as("what Reactor Netty saw before the first answer").isNull();
        assertThat(route.bodies).containsExactly("{\"n\":1}");

        route.answerNext(HttpResponseStatus.ACCEPTED);
        List<String> handedOn = new ArrayList<>();
        for (Object in; (in = channel.readInbound()) != null; ) {
            handedOn.add(((HttpRequest) in).uri());
            ReferenceCountUtil.release(in);
        }
        assertThat(handedOn).as("the third goes on to Reactor Netty, which owes the second's answer")
                .containsExactly("/other", "/take");
        assertThat(route.bodies).containsExactly("{\"n\":1}");
        assertThat(route.taken).isEqualTo(1);

        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST));
        List<Integer> written = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            written.add(((FullHttpResponse) out).status().code());
            ReferenceCountUtil.release(out);
        }
        assertThat(written).as("answers in the order of their requests").containsExactly(202, 400);
    }

    @Test
    void readingPausesWhileTooManyMessagesWaitForAnAnswer() {
        channel.writeInbound(request("/take", "{}"));
        for (int i = 0; i < DirectPublishHandler.HELD_BEFORE_PAUSING; i++) {
            channel.writeInbound(request("/other", "{}"));
        }
        assertThat(channel.config().isAutoRead()).as("reading while answering").isFalse();

        route.answerNext(HttpResponseStatus.ACCEPTED);
        assertThat(channel.config().isAutoRead()).as("reading once the answer is written").isTrue();
        int handedOn = 0;
        for (Object in; (in = channel.readInbound()) != null; handedOn++) {
            ReferenceCountUtil.release(in);
        }
        assertThat(handedOn).isEqualTo(DirectPublishHandler.HELD_BEFORE_PAUSING);
    }

    @Test
    void aBodyInSeveralPartsIsAnsweredWhole() {
        channel.writeInbound(head("/take", 12));
        channel.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("{\"n\":", StandardCharsets.UTF_8)));
        assertThat(route.bodies).isEmpty();
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("123456}", StandardCharsets.UTF_8)));

        assertThat(route.bodies).containsExactly("{\"n\":123456}");
        assertThat((Object) channel.readInbound()).as("what Reactor Netty saw").isNull();
    }

    @Test
    void aBodyTheDecoderCouldNotReadClosesTheConnectionUnanswered() {
        channel.writeInbound(head("/take", 10));
        HttpContent broken = new DefaultLastHttpContent(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
        broken.setDecoderResult(DecoderResult.failure(new IllegalStateException("broken chunk")));
        channel.writeInbound(broken);

        assertThat(channel.isOpen()).isFalse();
        assertThat(route.bodies).isEmpty();
        assertThat(broken.refCnt()).isZero();
    }

    @Test
    void aRequestTheRouteDoesNotTakeGoesOnUntouched() {
        FullHttpRequest other = request("/other", "{}");
        channel.writeInbound(other);

        assertThat((Object) channel.readInbound()).isSameAs(other);
        other.release();
        assertThat(route.bodies).isEmpty();
    }

    private static FullHttpRequest request(String uri, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.getBytes(StandardCharsets.UTF_8).length);
        return request;
    }

    private static HttpRequest head(String uri, int contentLength) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        return head;
    }

    /** Takes {@code /take}; each answer waits until {@link #answerNext} gives it. */
    static final class HeldRoute implements DirectPublishHandler.Route {

        final List<String> bodies = new ArrayList<>();
        final List<Sinks.One<FullHttpResponse>> pending = new ArrayList<>();
        final List<Integer> answered = new ArrayList<>();
        int taken;

        @Override
        public @Nullable Principal take(HttpRequest request) {
            if (!request.uri().equals("/take")) {
                return null;
            }
            taken++;
            return CALLER;
        }

        @Override
        public Mono<FullHttpResponse> answer(byte[] body, Principal caller) {
            bodies.add(new String(body, StandardCharsets.UTF_8));
            Sinks.One<FullHttpResponse> answer = Sinks.one();
            pending.add(answer);
            return answer.asMono();
        }

        @Override
        public void answered(int status, long startNanos) {
            answered.add(status);
        }

        FullHttpResponse answerNext(HttpResponseStatus status) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
            pending.remove(0).tryEmitValue(response).orThrow();
            return response;
        }
    }
}

package dev.tidings.publisher.publish;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.auth.AuthenticationException;
import dev.tidings.publisher.auth.BearerAuthenticator;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.ProblemException;
import dev.tidings.publisher.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Decoder;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.codec.Encoder;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.EncoderHttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Serves the everyday single publish, {@code POST /api/v1/notifications} with a JSON body of known
 * length, on Netty directly, ahead of Reactor Netty's HTTP handling and WebFlux: a {@link DirectPublishHandler}
 * in each connection's pipeline, between the HTTP codec and Reactor Netty's handlers, takes the request,
 * authenticates, reads and decodes it, publishes it through {@link PublishEndpoint} and answers with the same
 * codecs, the same problems and the same {@code http.server.requests} timer as {@link NotificationController},
 * without Reactor Netty's per-request operations (a subscriber chain per request, auto-read turned off and on
 * again around each body) or WebFlux's dispatch (exchange, filter chain, handler lookup, argument resolution,
 * result handling), which together cost more than the publish itself at everyday rates.
 *
 * <p>Taken only by a request that needs nothing else Reactor Netty or WebFlux does; every other request goes on
 * to them untouched, body unread, and gets its usual answer:
 * <ul>
 * <li>method {@code POST} and exactly that path, without a query, over a persistent HTTP/1.1 connection;</li>
 * <li>{@code Content-Type: application/json} (UTF-8 or no charset) and a {@code Content-Length}
 *     from 1 to {@code tidings.publisher.max-body-bytes}: no chunked body, no {@code Expect};</li>
 * <li>no {@code Origin} (CORS is WebFlux's), and no {@code Accept} or {@code Accept: *}{@code /*}
 *     (content negotiation is WebFlux's);</li>
 * <li>a bearer token that verifies with the publish scope: a refused token is handed to WebFlux,
 *     which answers the 401 or 403.</li>
 * </ul>
 * {@code tidings.publisher.direct-route=false} sends every request to WebFlux. An idle timeout
 * ({@code server.netty.idle-timeout}) counts from the connection's last read or write, so the requests the route
 * reads reset it like any other; a close it asks for while an answer is pending waits for that answer.
 *
 * <p>Thread-safe: stateless apart from the meters' cache; the per-connection state is the handler's.
 */
@Component
@ConditionalOnProperty(name = "tidings.publisher.direct-route", havingValue = "true", matchIfMissing = true)
class DirectPublishRoute implements NettyServerCustomizer, DirectPublishHandler.Route {

    static final String PATH = "/api/v1/notifications";
    /** The handler's name in each connection's pipeline. */
    static final String HANDLER = "tidings.directPublish";

    private static final Logger log = LoggerFactory.getLogger(DirectPublishRoute.class);
    private static final ResolvableType REQUEST = ResolvableType.forClass(PublishRequest.class);
    private static final ResolvableType RESULT = ResolvableType.forClass(PublishResult.class);
    private static final ResolvableType PROBLEM = ResolvableType.forClass(ProblemDetail.class);
    private static final URI INSTANCE = URI.create(PATH);

    private final PublishEndpoint endpoint;
    private final BearerAuthenticator authenticator;
    private final Decoder<?> decoder;
    private final Encoder<Object> encoder;
    private final long maxBodyBytes;
    private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);
    private final MeterRegistry meters;
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();
    private final Counter taken;

    DirectPublishRoute(PublishEndpoint endpoint, BearerAuthenticator authenticator, ServerCodecConfigurer codecs,
            PublisherProperties properties, MeterRegistry meters) {
        this.endpoint = endpoint;
        this.authenticator = authenticator;
        this.decoder = decoder(codecs);
        this.encoder = encoder(codecs);
        this.maxBodyBytes = properties.maxBodyBytes();
        this.meters = meters;
        this.taken = Counter.builder("tidings.publisher.direct.requests")
                .description("Single publish requests taken by the direct route, without Reactor Netty's and WebFlux's dispatch")
                .register(meters);
    }

    private static Decoder<?> decoder(ServerCodecConfigurer codecs) {
        return codecs.getReaders().stream()
                .filter(reader -> reader instanceof DecoderHttpMessageReader<?> r
                        && r.getDecoder().canDecode(REQUEST, MediaType.APPLICATION_JSON))
                .map(reader -> ((DecoderHttpMessageReader<?>) reader).getDecoder())
                .findFirst().orElseThrow(() -> new IllegalStateException("no JSON decoder among the codecs"));
    }

    @SuppressWarnings("unchecked")
    private static Encoder<Object> encoder(ServerCodecConfigurer codecs) {
        return codecs.getWriters().stream()
                .filter(writer -> writer instanceof EncoderHttpMessageWriter<?> w
                        && w.getEncoder().canEncode(RESULT, MediaType.APPLICATION_JSON)
                        && w.getEncoder().canEncode(PROBLEM, MediaType.APPLICATION_PROBLEM_JSON))
                .map(writer -> (Encoder<Object>) ((EncoderHttpMessageWriter<?>) writer).getEncoder())
                .findFirst().orElseThrow(() -> new IllegalStateException("no JSON encoder among the codecs"));
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            ChannelPipeline pipeline = channel.pipeline();
            // Absent on a connection that is not plain HTTP/1.1 (h2, h2c): nothing to take there.
            if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
                pipeline.addBefore(NettyPipeline.HttpTrafficHandler, HANDLER, new DirectPublishHandler(this));
            }
        });
    }

    @Override
    public @Nullable Principal take(HttpRequest request) {
        Principal principal = serves(request) ? caller(request) : null;
        if (principal != null) {
            taken.increment();
        }
        return principal;
    }

    /** Whether the request is one this route answers exactly as WebFlux would; decided on its head alone. */
    private boolean serves(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method()) || !PATH.equals(request.uri())
                || !HttpVersion.HTTP_1_1.equals(request.protocolVersion()) || !HttpUtil.isKeepAlive(request)
                || !request.decoderResult().isSuccess()) {
            return false;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.ORIGIN) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || headers.contains(HttpHeaderNames.EXPECT) || !headers.contains(HttpHeaderNames.AUTHORIZATION)) {
            return false;
        }
        String accept = headers.get(HttpHeaderNames.ACCEPT);
        return (accept == null || accept.equals("*/*")) && plainJson(headers.get(HttpHeaderNames.CONTENT_TYPE))
                && bounded(headers.get(HttpHeaderNames.CONTENT_LENGTH));
    }

    private static boolean plainJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        if (contentType.equals(MediaType.APPLICATION_JSON_VALUE)) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                    && (type.getCharset() == null || StandardCharsets.UTF_8.equals(type.getCharset()));
        }
        catch (IllegalArgumentException ex) { // an InvalidMediaTypeException too
            return false;
        }
    }

    private boolean bounded(@Nullable String contentLength) {
        if (contentLength == null) {
            return false;
        }
        try {
            long length = Long.parseLong(contentLength);
            return length >= 1 && length <= maxBodyBytes;
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }

    /** The caller the request's bearer token names, with the publish scope; null when the token is refused. */
    private @Nullable Principal caller(HttpRequest request) {
        try {
            return authenticator.authenticate(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    Principal.SCOPE_PUBLISH);
        }
        catch (AuthenticationException refused) {
            return null;
        }
    }

    /**
     * The answer to a taken request's body: 202 with the result once Kafka acknowledged the records, or the
     * problem. Never fails.
     */
    @Override
    public Mono<FullHttpResponse> answer(byte[] body, Principal caller) {
        return Mono.defer(() -> endpoint.publish(decode(body), caller))
                .map(result -> response(HttpResponseStatus.ACCEPTED, MediaType.APPLICATION_JSON, result, RESULT, null))
                .onErrorResume(failure -> Mono.just(problem(failure)));
    }

    @Override
    public void answered(int status, long startNanos) {
        timer(status).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private PublishRequest decode(byte[] body) {
        Object decoded = decoder.decode(DefaultDataBufferFactory.sharedInstance.wrap(body), REQUEST,
                MediaType.APPLICATION_JSON, Map.of());
        if (!(decoded instanceof PublishRequest publish)) {
            throw new DecodingException("the body is JSON null");
        }
        return publish;
    }

    /** The problem that answers {@code failure}, as {@code ProblemHandler} answers the controller's. */
    private FullHttpResponse problem(Throwable failure) {
        ProblemDetail problem;
        if (failure instanceof DecodingException) {
            problem = Problems.unreadableBody(failure);
        }
        else if (failure instanceof ProblemException known) {
            problem = known.problem();
            if (problem.getStatus() >= 500) {
                log.warn("Publish failed: {}", known.getMessage());
            }
        }
        else {
            log.error("Unexpected error", failure);
            problem = Problems.of(failure);
        }
        if (problem.getInstance() == null) {
            problem.setInstance(INSTANCE);
        }
        return response(HttpResponseStatus.valueOf(problem.getStatus()), MediaType.APPLICATION_PROBLEM_JSON, problem,
                PROBLEM, Problems.headers(problem));
    }

    private FullHttpResponse response(HttpResponseStatus status, MediaType type, Object body, ResolvableType bodyType,
            org.springframework.http.@Nullable HttpHeaders headers) {
        ByteBuf bytes = NettyDataBufferFactory.toByteBuf(encoder.encodeValue(body, buffers, bodyType, type, Map.of()));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, bytes);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type.toString())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.readableBytes());
        if (headers != null) {
            headers.forEach((name, values) -> response.headers().add(name, values));
        }
        return response;
    }

    /**
     * {@code http.server.requests} for this path and status, with the tags (and so the series) WebFlux's
     * observation gives the controller's answers: their problems are handled, so {@code error} and
     * {@code exception} are {@code none}.
     */
    private Timer timer(int status) {
        return timers.computeIfAbsent(status, code -> Timer.builder("http.server.requests")
                .tag("error", "none")
                .tag("exception", "none")
                .tag("method", "POST")
                .tag("outcome", outcome(HttpStatus.Series.resolve(code)))
                .tag("status", Integer.toString(code))
                .tag("uri", PATH)
                .register(meters));
    }

    private static String outcome(HttpStatus.@Nullable Series series) {
        if (series == HttpStatus.Series.SUCCESSFUL) {
            return "SUCCESS";
        }
        return series == HttpStatus.Series.CLIENT_ERROR ? "CLIENT_ERROR" : "SERVER_ERROR";
    }

}

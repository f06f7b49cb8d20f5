package dev.tidings.gateway.access;

import java.time.Duration;
import java.util.List;

import dev.tidings.common.auth.BearerTokens;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The checks a client connection's handshake makes before any session exists, the same for
 * {@code /ws} and {@code /sse}: 503 with {@code Retry-After: 1} while the node shuts down or when the
 * request waited on the node longer than {@code tidings.gateway.handshake-max-wait}, the browser
 * {@code Origin} against the allow-list (a page served by the node itself always may), the token from
 * {@code access_token} or {@code Authorization: Bearer}, and 401 for a missing or bad one.
 *
 * <p>The wait is what keeps a node that is behind (a reconnect storm on a node short of CPU) from
 * spending itself on handshakes nobody waits for: a client gives up after its connect timeout and
 * tries again, and a node that serves requests in arrival order would then serve only abandoned ones,
 * each retry adding one more. Refusing the stale ones costs a 503, and the node's time goes to the
 * handshakes still waited for. The wait is the age of the request's last bytes in the kernel
 * ({@code TCP_INFO}'s {@code tcpi_last_data_recv}): it counts the accept queue and the socket's receive
 * buffer, where such requests wait, which the node's own clock cannot see.
 *
 * <p>Thread-safe: immutable.
 */
public final class Handshakes {

    private static final Logger log = LoggerFactory.getLogger(Handshakes.class);

    /** A request whose wait cannot be known (another transport than epoll, a closed socket). */
    public static final long UNKNOWN_AGE = -1;

    private final CorsConfiguration origins = new CorsConfiguration();
    private final long maxWaitMillis;
    private final Counter stale;

    /**
     * @param allowedOrigins {@code tidings.gateway.allowed-origins}: Origin patterns allowed from other hosts
     * @param maxWait {@code tidings.gateway.handshake-max-wait}; zero turns the check off
     * @param stale counts the handshakes refused for their wait
     */
    public Handshakes(List<String> allowedOrigins, Duration maxWait, Counter stale) {
        origins.setAllowedOriginPatterns(List.copyOf(allowedOrigins));
        this.maxWaitMillis = maxWait.toMillis();
        this.stale = stale;
    }

    /** Answers 503 with {@code Retry-After: 1}: the client should try again, here or elsewhere. */
    public static Mono<Void> refuseUnavailable(ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return response.setComplete();
    }

    /**
     * Whether the request waited on the node longer than the handshake may (counted when it did); false when
     * the check is off or the wait cannot be known.
     */
    public boolean waitedTooLong(ServerHttpResponse response) {
        if (maxWaitMillis == 0) {
            return false;
        }
        long age = requestAgeMillis(response);
        if (age <= maxWaitMillis) {
            return false;
        }
        stale.increment();
        log.debug("Handshake refused: its request waited {} ms on the node, longer than {} ms", age, maxWaitMillis);
        return true;
    }

    private static long requestAgeMillis(ServerHttpResponse response) {
        Object netty;
        try {
            netty = ServerHttpResponseDecorator.getNativeResponse(response);
        }
        catch (IllegalStateException ex) {
            return UNKNOWN_AGE; // a response with no server under it
        }
        return netty instanceof Connection connection ? requestAgeMillis(connection.channel()) : UNKNOWN_AGE;
    }

    /**
     * How long ago the connection's last bytes reached this host, in milliseconds: for a handshake being
     * handled, how long its request waited. {@link #UNKNOWN_AGE} on other transports than epoll.
     */
    public static long requestAgeMillis(Channel channel) {
        if (channel instanceof EpollSocketChannel epoll && epoll.isOpen()) {
            try {
                return epoll.tcpInfo().lastDataRecv();
            }
            catch (RuntimeException ex) {
                return UNKNOWN_AGE; // the socket closed under us
            }
        }
        return UNKNOWN_AGE;
    }

    /** Whether the request's {@code Origin}, if any, may connect: none, the node's own, or an allowed one. */
    public boolean originAllowed(ServerHttpRequest request) {
        String origin = request.getHeaders().getOrigin();
        return origin == null || sameOrigin(request, origin) || origins.checkOrigin(origin) != null;
    }

    /** The request's token: its {@code access_token} parameter, else its bearer header; {@code null} when none. */
    public static @Nullable String token(ServerHttpRequest request) {
        String token = request.getQueryParams().getFirst("access_token");
        if (token == null) {
            token = BearerTokens.fromAuthorization(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        }
        return token == null || token.isEmpty() ? null : token;
    }

    /** Answers 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}. */
    public static Mono<Void> refuseToken(ServerHttpResponse response, String reason) {
        log.debug("Handshake refused: {}", reason);
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        return response.setComplete();
    }

    /** A page served by this very node may always connect, as browsers' same-origin policy has it. */
    public static boolean sameOrigin(ServerHttpRequest request, String origin) {
        try {
            var from = UriComponentsBuilder.fromUriString(origin).build();
            var to = request.getURI();
            return from.getHost() != null && from.getHost().equalsIgnoreCase(to.getHost())
                    && port(from.getScheme(), from.getPort()) == port(to.getScheme(), to.getPort());
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static int port(@Nullable String scheme, int port) {
        if (port != -1) {
            return port;
        }
        return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}

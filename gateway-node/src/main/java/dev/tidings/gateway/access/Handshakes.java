package dev.tidings.gateway.access;

import java.util.List;

import dev.tidings.common.auth.BearerTokens;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The checks a client connection's handshake makes before any session exists, the same for
 * {@code /ws} and {@code /sse}: 503 with {@code Retry-After: 1} while the node shuts down, the
 * browser {@code Origin} against the allow-list (a page served by the node itself always may), the
 * token from {@code access_token} or {@code Authorization: Bearer}, and 401 for a missing or bad one.
 *
 * <p>Thread-safe: immutable.
 */
public final class Handshakes {

    private static final Logger log = LoggerFactory.getLogger(Handshakes.class);

    private final CorsConfiguration origins = new CorsConfiguration();

    /** @param allowedOrigins {@code tidings.gateway.allowed-origins}: Origin patterns allowed from other hosts */
    public Handshakes(List<String> allowedOrigins) {
        origins.setAllowedOriginPatterns(List.copyOf(allowedOrigins));
    }

    /** Answers 503 with {@code Retry-After: 1}: the node shuts down, the client should go elsewhere. */
    public static Mono<Void> refuseWhileDraining(ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return response.setComplete();
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

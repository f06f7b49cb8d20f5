package dev.tidings.gateway.ws;

import java.util.List;
import java.util.Map;

import dev.tidings.common.auth.InvalidTokenException;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Authenticates the WebSocket handshake: the token comes from the {@code access_token} query
 * parameter or an {@code Authorization: Bearer} header. A bad token never opens a session: the
 * handshake is answered 401. The {@code cursor} query parameter is kept for the handler.
 */
class TokenHandshakeInterceptor implements HandshakeInterceptor {

    static final String PRINCIPAL = "tidings.principal";
    static final String CURSOR = "tidings.cursor";

    private static final Logger log = LoggerFactory.getLogger(TokenHandshakeInterceptor.class);

    private final JwtVerifier verifier;

    TokenHandshakeInterceptor(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        var query = UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams();
        String token = first(query.get("access_token"));
        if (token == null) {
            String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = header.substring(7).trim();
            }
        }
        if (token == null || token.isEmpty()) {
            return refuse(response, "missing token");
        }
        try {
            Principal principal = verifier.verify(decode(token));
            attributes.put(PRINCIPAL, principal);
        }
        catch (InvalidTokenException ex) {
            return refuse(response, ex.getMessage());
        }
        String cursor = first(query.get("cursor"));
        if (cursor != null && !cursor.isEmpty()) {
            attributes.put(CURSOR, decode(cursor));
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            @Nullable Exception exception) {
    }

    private static boolean refuse(ServerHttpResponse response, String reason) {
        log.debug("WebSocket handshake refused: {}", reason);
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        return false;
    }

    private static @Nullable String first(@Nullable List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}

package dev.tidings.gateway.ws;

import java.util.Map;

import dev.tidings.gateway.lifecycle.GracefulShutdown;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses handshakes with 503 and {@code Retry-After: 1} while the node shuts down, before the
 * token is even verified: the client should reconnect to another node right away.
 */
class AdmissionHandshakeInterceptor implements HandshakeInterceptor {

    private final GracefulShutdown shutdown;

    AdmissionHandshakeInterceptor(GracefulShutdown shutdown) {
        this.shutdown = shutdown;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (!shutdown.isDraining()) {
            return true;
        }
        response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            @Nullable Exception exception) {
    }
}

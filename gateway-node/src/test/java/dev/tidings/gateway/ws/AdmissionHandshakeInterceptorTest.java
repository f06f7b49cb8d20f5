package dev.tidings.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.HashMap;

import dev.tidings.gateway.lifecycle.GracefulShutdown;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.socket.WebSocketHandler;

class AdmissionHandshakeInterceptorTest {

    final GracefulShutdown shutdown = mock(GracefulShutdown.class);
    final AdmissionHandshakeInterceptor admission = new AdmissionHandshakeInterceptor(shutdown);
    final MockHttpServletResponse servletResponse = new MockHttpServletResponse();

    @Test
    void aRunningNodeAdmitsTheHandshake() throws Exception {
        when(shutdown.isDraining()).thenReturn(false);

        assertThat(handshake()).isTrue();
        assertThat(servletResponse.getStatus()).isEqualTo(200);
    }

    @Test
    void aNodeShuttingDownAnswers503AndAsksTheClientToRetryElsewhereAtOnce() throws Exception {
        when(shutdown.isDraining()).thenReturn(true);

        assertThat(handshake()).isFalse();
        assertThat(servletResponse.getStatus()).isEqualTo(503);
        assertThat(servletResponse.getHeader("Retry-After")).isEqualTo("1");
    }

    private boolean handshake() throws Exception {
        ServletServerHttpResponse response = new ServletServerHttpResponse(servletResponse);
        boolean admitted = admission.beforeHandshake(
                new ServletServerHttpRequest(new MockHttpServletRequest("GET", "/ws")), response,
                mock(WebSocketHandler.class), new HashMap<>());
        response.flush();
        return admitted;
    }
}

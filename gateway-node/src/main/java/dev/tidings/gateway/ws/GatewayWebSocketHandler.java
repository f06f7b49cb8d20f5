package dev.tidings.gateway.ws;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.ResumeService;
import dev.tidings.gateway.routing.FrameEncoder;
import dev.tidings.gateway.session.ClientSession;
import dev.tidings.gateway.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The {@code /ws} endpoint: registers each authenticated session, sends {@code welcome}, resumes
 * from a cursor when one is given, and answers client frames ({@code ping}, {@code resume}).
 * Client frames are parsed by {@link ClientFrames}; one that is not understood gets an
 * {@code error} frame and the session stays open. The client can never change what it is
 * subscribed to: that comes from its token alone. While the node shuts down, a session that got
 * past the handshake is closed with 1013 at once.
 */
class GatewayWebSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayWebSocketHandler.class);
    private static final String SESSION = "tidings.session";

    private final SessionRegistry registry;
    private final FrameEncoder frames;
    private final NodePosition position;
    private final ResumeService resume;
    private final GatewayProperties properties;
    private final GracefulShutdown shutdown;

    GatewayWebSocketHandler(SessionRegistry registry, FrameEncoder frames, NodePosition position,
            ResumeService resume, GatewayProperties properties, GracefulShutdown shutdown) {
        this.shutdown = shutdown;
        this.registry = registry;
        this.frames = frames;
        this.position = position;
        this.resume = resume;
        this.properties = properties;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession webSocket) throws Exception {
        Principal principal = (Principal) webSocket.getAttributes().get(TokenHandshakeInterceptor.PRINCIPAL);
        if (principal == null) {
            webSocket.close(CloseStatus.POLICY_VIOLATION.withReason("not authenticated"));
            return;
        }
        if (shutdown.isDraining()) {
            webSocket.close(GracefulShutdown.SHUTTING_DOWN);
            return;
        }
        String cursor = (String) webSocket.getAttributes().get(TokenHandshakeInterceptor.CURSOR);
        SessionRegistry.Registration registration = registry.register(webSocket, principal, cursor != null);
        if (registration.refusal() != null) {
            webSocket.close(registration.refusal());
            return;
        }
        ClientSession session = registration.session();
        webSocket.getAttributes().put(SESSION, session);
        if (shutdown.isDraining()) {
            // Registered while the shutdown's closeAll ran past: close it here instead.
            session.close(GracefulShutdown.SHUTTING_DOWN);
            return;
        }
        session.send(frames.welcome(properties.nodeId(), position.encodedSnapshot()));
        if (cursor != null) {
            resume.resume(session, cursor);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession webSocket, TextMessage message) {
        ClientSession session = (ClientSession) webSocket.getAttributes().get(SESSION);
        if (session == null) {
            return;
        }
        ClientFrames.ClientFrame frame = ClientFrames.parse(message.getPayload());
        if (frame instanceof ClientFrames.Resume resumeFrame) {
            resume.resume(session, resumeFrame.cursor());
        }
        else if (frame instanceof ClientFrames.Invalid invalid) {
            session.send(frames.error(invalid.code(), invalid.message()));
        }
        else {
            session.send(frames.pong());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession webSocket, Throwable exception) {
        log.debug("Transport error on session {}: {}", webSocket.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession webSocket, CloseStatus status) {
        ClientSession session = (ClientSession) webSocket.getAttributes().get(SESSION);
        if (session != null) {
            registry.unregister(session);
        }
    }
}

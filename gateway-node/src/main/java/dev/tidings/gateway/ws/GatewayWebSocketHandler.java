package dev.tidings.gateway.ws;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.lifecycle.GracefulShutdown;
import dev.tidings.gateway.protocol.ClientFrames;
import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.resume.ResumeService;
import dev.tidings.gateway.session.ClientSession;
import dev.tidings.gateway.session.SessionRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A connection that passed the handshake ({@link GatewayEndpoint}): registers its session, sends
 * {@code welcome}, resumes from a cursor when one is given, and answers client frames
 * ({@code ping}, {@code resume}, at most {@code tidings.gateway.max-resumes-per-minute} of these). Client frames are parsed by {@link ClientFrames}; one that is
 * not understood gets an {@code error} frame and the session stays open; a binary frame closes it
 * with 1003; a text frame over {@code tidings.gateway.max-inbound-frame-bytes} closes it with 1009
 * (once read whole, so that the close frame is not lost to a reset). The client can never change what it is subscribed to: that comes from its token
 * alone. A session that reads nothing for {@code tidings.gateway.idle-timeout} is closed with
 * 1001 (clients ping). While the node shuts down, a session that got past the handshake is
 * closed with 1013 at once. Every close goes through {@link CloseReason}, which logs it.
 *
 * <p>Outbound frames do not go through the reactive {@code send} pipeline: {@link ClientSession}
 * writes them to the connection's Netty channel, so that one encoded frame serves every session.
 */
class GatewayWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayWebSocketHandler.class);

    private final SessionRegistry registry;
    private final FrameEncoder frames;
    private final ResumeService resume;
    private final GatewayProperties properties;
    private final GracefulShutdown shutdown;

    GatewayWebSocketHandler(SessionRegistry registry, FrameEncoder frames, ResumeService resume, GatewayProperties properties, GracefulShutdown shutdown) {
        this.shutdown = shutdown;
        this.registry = registry;
        this.frames = frames;
        this.resume = resume;
        this.properties = properties;
    }

    Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out, Principal principal, @Nullable String cursor) {
        Connection[] connection = new Connection[1];
        in.withConnection(c -> connection[0] = c);
        Channel channel = connection[0].channel();
        if (shutdown.isDraining()) {
            return refuse(out, channel, principal, CloseReason.SHUTTING_DOWN);
        }
        SessionRegistry.Registration registration = registry.register(channel,
                status -> close(out, status).subscribe(null,
                        error -> log.debug("Close of {} failed: {}", channel, error.toString())),
                principal, cursor != null);
        CloseReason refusal = registration.refusal();
        if (refusal != null) {
            return refuse(out, channel, principal, refusal);
        }
        ClientSession session = registration.session();
        connection[0].onReadIdle(properties.idleTimeout().toMillis(), () -> session.close(CloseReason.IDLE));
        Mono<Void> inbound = in.aggregateFrames(WebSocketConfiguration.decoderFrameLimit(properties)).receiveFrames()
                .doOnNext(frame -> onFrame(session, frame))
                .doFinally(signal -> registry.unregister(session))
                .then();
        if (shutdown.isDraining()) {
            // Registered while the shutdown's closeAll ran past: close it here instead.
            session.close(CloseReason.SHUTTING_DOWN);
            return inbound;
        }
        // A resuming client's welcome carries its own cursor: storing it can never skip the gap.
        session.send(frames.welcome(properties.nodeId(), resume.welcomeCursor(cursor)));
        if (cursor != null) {
            resume.resume(session, cursor);
        }
        return inbound;
    }

    private void onFrame(ClientSession session, WebSocketFrame message) {
        if (message instanceof BinaryWebSocketFrame) {
            session.close(CloseReason.BINARY_FRAME);
            return;
        }
        if (!(message instanceof TextWebSocketFrame text)) {
            return; // pings are answered by Netty, pongs need nothing
        }
        if (text.content().readableBytes() > properties.maxInboundFrameBytes()) {
            session.close(CloseReason.FRAME_TOO_BIG, text.content().readableBytes() + " bytes");
            return;
        }
        ClientFrames.ClientFrame frame = ClientFrames.parse(text.text());
        if (frame instanceof ClientFrames.Resume resumeFrame) {
            resume.onResumeFrame(session, resumeFrame.cursor());
        }
        else if (frame instanceof ClientFrames.Invalid invalid) {
            session.send(frames.error(invalid.code(), invalid.message()));
        }
        else {
            session.send(frames.pong());
        }
    }

    /** Closes a connection that gets no session, for the reason. */
    private static Mono<Void> refuse(WebsocketOutbound out, Channel channel, Principal principal, CloseReason reason) {
        return close(out, reason.closing(channel.id().asShortText(), principal.userId(), ""));
    }

    private static Mono<Void> close(WebsocketOutbound out, CloseStatus status) {
        return out.sendClose(status.getCode(), status.getReason());
    }
}

package dev.tidings.gateway.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tidings.gateway.session.Framing;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Frames as Server-Sent Events: each frame is one event whose {@code data} is the frame's JSON and,
 * when the frame carries a cursor (its last member, as the protocol's frames put it), whose
 * {@code id} is that cursor, so that a client's {@code Last-Event-ID} is where it resumes. A close
 * is an event of its own type, {@code close}, with the WebSocket close code and reason.
 *
 * <p>Thread-safe: stateless.
 */
final class SseFraming implements Framing {

    static final SseFraming INSTANCE = new SseFraming();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final byte[] CURSOR_MEMBER = ",\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Object message(byte[] frame) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(event(null, frame)));
    }

    @Override
    public boolean takesWireFrames() {
        return false;
    }

    /** The {@code close} event the stream ends with. */
    static DefaultHttpContent close(CloseStatus status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", status.getCode());
        data.put("reason", status.getReason() == null ? "" : status.getReason());
        return new DefaultHttpContent(Unpooled.wrappedBuffer(event("close", JSON.writeValueAsBytes(data))));
    }

    /** A comment line: keeps proxies and the client from timing out an idle stream. */
    static DefaultHttpContent keepAlive() {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII)));
    }

    /** One event: its type (when not the default {@code message}), its id (the frame's cursor) and its data. */
    static byte[] event(@Nullable String type, byte[] frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + 96);
        if (type != null) {
            out.writeBytes(("event: " + type + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        String cursor = cursorOf(frame);
        if (cursor != null) {
            out.writeBytes(("id: " + cursor + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
        for (byte b : frame) {
            if (b == '\n') { // JSON whitespace: one data line each, joined again by the client
                out.writeBytes("\ndata: ".getBytes(StandardCharsets.US_ASCII));
            }
            else if (b != '\r') {
                out.write(b);
            }
        }
        out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The frame's cursor when it is the frame's last member ({@code ,"cursor":"…"}}), else {@code null}. */
    static @Nullable String cursorOf(byte[] frame) {
        int end = frame.length - 2; // the cursor's closing quote, before the frame's closing brace
        if (end < CURSOR_MEMBER.length || frame[end + 1] != '}' || frame[end] != '"') {
            return null;
        }
        int start = end;
        while (start > 0 && isBase64Url(frame[start - 1])) {
            start--;
        }
        int member = start - CURSOR_MEMBER.length;
        if (start == end || member < 0) {
            return null;
        }
        for (int i = 0; i < CURSOR_MEMBER.length; i++) {
            if (frame[member + i] != CURSOR_MEMBER[i]) {
                return null;
            }
        }
        return new String(frame, start, end - start, StandardCharsets.US_ASCII);
    }

    private static boolean isBase64Url(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_';
    }
}

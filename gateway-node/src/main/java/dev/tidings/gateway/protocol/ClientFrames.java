package dev.tidings.gateway.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses a client's text frame into a {@link ClientFrame}: a pure function, with no socket and
 * no session, so that every edge case (and a fuzzer) can drive it directly. It never throws: any
 * input that is not a frame this protocol understands becomes an {@link ClientFrame.Invalid}
 * carrying the {@code error} frame to answer with. The client can ask for nothing but a pong, a
 * resume or to go on with a fresh token; what it receives is fixed by its token alone.
 *
 * <p>Thread-safe: stateless; the Jackson mapper is immutable.
 */
public final class ClientFrames {

    /**
     * Parsing limits tighter than Jackson's defaults: a frame is a flat object, so deep nesting is
     * only ever an attempt to burn stack or CPU. The container already caps the frame's size
     * ({@code tidings.gateway.max-inbound-frame-bytes}).
     */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16)
                    .maxNumberLength(64)
                    .maxStringLength(1 << 20)
                    .build())
            .build()).build();

    private static final String UNKNOWN_TYPE = "unknown frame type; expected ping, resume or refresh";

    private ClientFrames() {
    }

    /** What a client frame asks for. */
    public sealed interface ClientFrame permits Ping, Resume, Refresh, Invalid {
    }

    /** {@code {"type":"ping"}}: answer with a pong. */
    public record Ping() implements ClientFrame {
    }

    /**
     * {@code {"type":"resume","cursor":"…"}}: replay what the client missed since the cursor.
     *
     * @param cursor the cursor as sent; {@code ResumeService} decodes and validates it
     */
    public record Resume(String cursor) implements ClientFrame {
    }

    /**
     * {@code {"type":"refresh","token":"…"}}: go on with this token instead of the session's own.
     *
     * @param token the token as sent; the node verifies it like a handshake's
     */
    public record Refresh(String token) implements ClientFrame {
    }

    /**
     * A frame that is not understood: answered with an {@code error} frame, the session stays open.
     *
     * @param code the error code: {@link ErrorCode#BAD_FRAME}
     * @param message what was wrong, safe to show the client
     */
    public record Invalid(ErrorCode code, String message) implements ClientFrame {
    }

    /** Parses one text frame; never throws. */
    public static ClientFrame parse(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        }
        catch (JacksonException ex) {
            return new Invalid(ErrorCode.BAD_FRAME, "frame is not valid JSON");
        }
        if (frame == null || !frame.isObject()) {
            return new Invalid(ErrorCode.BAD_FRAME, "frame must be a JSON object");
        }
        JsonNode type = frame.get("type");
        if (type == null || !type.isString()) {
            return new Invalid(ErrorCode.BAD_FRAME, UNKNOWN_TYPE);
        }
        return switch (type.asString()) {
            case "ping" -> new Ping();
            case "resume" -> {
                JsonNode cursor = frame.get("cursor");
                yield cursor != null && cursor.isString() && !cursor.asString().isEmpty()
                        ? new Resume(cursor.asString())
                        : new Invalid(ErrorCode.BAD_FRAME, "resume needs a string cursor");
            }
            case "refresh" -> {
                JsonNode token = frame.get("token");
                yield token != null && token.isString() && !token.asString().isEmpty()
                        ? new Refresh(token.asString())
                        : new Invalid(ErrorCode.BAD_FRAME, "refresh needs a string token");
            }
            default -> new Invalid(ErrorCode.BAD_FRAME, UNKNOWN_TYPE);
        };
    }
}

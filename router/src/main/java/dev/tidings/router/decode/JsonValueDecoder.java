package dev.tidings.router.decode;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Decodes UTF-8 JSON values strictly (one JSON text, nothing after it). Thread-safe. */
public final class JsonValueDecoder implements ValueDecoder {

    /** The strict mapper: reads as {@link #decode} does, and writes the payloads the router builds. */
    public static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    @Override
    public @Nullable Object decode(String topic, byte @Nullable [] value) {
        if (value == null) {
            throw new RouteFailure("undecodable", "the record has no value (a tombstone)");
        }
        try {
            return JSON.readValue(value, Object.class);
        }
        catch (JacksonException ex) {
            throw new RouteFailure("undecodable", "not JSON: " + ex.getOriginalMessage(), ex);
        }
    }
}

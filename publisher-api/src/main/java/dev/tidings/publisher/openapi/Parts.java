package dev.tidings.publisher.openapi;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;

/** Small builders for the parts of the document other than schemas: examples, JSON content, scopes. */
final class Parts {

    /** Name of the bearer-token security scheme. */
    static final String BEARER = "bearerAuth";

    /** The media type of every request and success response. */
    static final String JSON = "application/json";

    private Parts() {
    }

    /** A map in the order given, so examples read in a sensible order in the UI. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> ordered(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }

    /** A named example's body with the one line the UI shows for it. */
    static Example example(String summary, Object value) {
        return new Example().summary(summary).value(value);
    }

    /** {@code application/json} content of this schema, with examples when there are any. */
    static Content json(Schema<?> schema, @Nullable Map<String, Example> examples) {
        MediaType media = new MediaType().schema(schema);
        if (examples != null) {
            media.examples(new LinkedHashMap<>(examples));
        }
        return new Content().addMediaType(JSON, media);
    }

    /** The requirement of a bearer token with {@code scope}. */
    static SecurityRequirement scope(String scope) {
        return new SecurityRequirement().addList(BEARER, scope);
    }
}

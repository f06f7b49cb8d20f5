package dev.tidings.router.routes;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A notification's payload: one selector whose value must be a JSON object ({@code $}, the whole
 * value), or an object built from named selectors.
 *
 * @param whole the selector of the whole payload, or {@code null} for {@code fields}
 * @param fields member name to selector, in file order; empty when {@code whole} is set
 */
public record PayloadSpec(@Nullable Selector whole, Map<String, Selector> fields) {

    public PayloadSpec {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}

package dev.tidings.router.decode;

import org.jspecify.annotations.Nullable;

/**
 * Turns a record value into a JSON document as Java objects ({@code Map}, {@code List}, strings,
 * numbers, booleans, {@code null}) for JSONPath to read.
 */
@FunctionalInterface
public interface ValueDecoder {

    /**
     * @throws RouteFailure if the value can never be decoded (dead-lettered)
     * @throws SourceUnavailableException if decoding must be retried later
     */
    @Nullable Object decode(String topic, byte @Nullable [] value);
}

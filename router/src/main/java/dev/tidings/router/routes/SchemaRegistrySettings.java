package dev.tidings.router.routes;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How to reach a Confluent-compatible schema registry, with the settings Confluent's clients take.
 *
 * @param url base URL; schemas are read from {@code {url}/schemas/ids/{id}}
 * @param basicAuthUserInfo {@code user:password} for HTTP Basic authentication (Confluent's
 *     {@code basic.auth.user.info}), or {@code null}
 * @param bearerToken a token sent as {@code Authorization: Bearer}, or {@code null}
 * @param timeout longest one request to the registry may take
 */
public record SchemaRegistrySettings(URI url, @Nullable String basicAuthUserInfo, @Nullable String bearerToken,
        Duration timeout) {

    @Override
    public String toString() {
        // Credentials never reach logs.
        return "SchemaRegistrySettings[url=" + url + ", auth=" + (basicAuthUserInfo != null ? "basic"
                : bearerToken != null ? "bearer" : "none") + ", timeout=" + timeout + "]";
    }
}

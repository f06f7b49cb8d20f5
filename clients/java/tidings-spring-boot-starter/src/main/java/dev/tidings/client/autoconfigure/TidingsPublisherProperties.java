package dev.tidings.client.autoconfigure;

import java.net.URI;
import java.time.Duration;

import dev.tidings.client.RetryPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Tidings client, bound from {@code tidings.publisher.*}. Give the {@code url}, and
 * either a {@code token} or an {@code oauth2.registration-id}.
 *
 * @param url The publisher's base URL, e.g. https://tidings.example.com.
 * @param token A fixed bearer token with the notifications:publish scope. Not together with oauth2.registration-id.
 * @param oauth2 OAuth2 client credentials, instead of a fixed token.
 * @param connectTimeout How long to wait for a connection to the publisher.
 * @param requestTimeout How long one attempt waits for its answer. Keep it above the publisher's
 *     send-timeout (10 s by default).
 * @param retry How 429s, 503s and lost connections are retried, always with the same notification id.
 */
@ConfigurationProperties("tidings.publisher")
public record TidingsPublisherProperties(
        @Nullable URI url,
        @Nullable String token,
        @DefaultValue OAuth2 oauth2,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue Retry retry) {

    /** Shows whether a token is set, never the token. */
    @Override
    public String toString() {
        return "TidingsPublisherProperties[url=" + url + ", token=" + (token == null ? "unset" : "***") + ", oauth2="
                + oauth2 + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", retry="
                + retry + "]";
    }

    /**
     * OAuth2 client credentials through Spring Security's OAuth2 client
     * ({@code spring-security-oauth2-client} on the classpath).
     *
     * @param registrationId The client registration to get tokens with, one of
     *     spring.security.oauth2.client.registration.*, whose grant type is client_credentials.
     * @param principal The principal name the authorized client is kept under.
     */
    public record OAuth2(@Nullable String registrationId, @DefaultValue("tidings-client") String principal) {
    }

    /**
     * How the client retries; see {@link RetryPolicy}.
     *
     * @param maxAttempts Attempts in all, the first included. 1 turns retries off.
     * @param maxElapsed The longest time from the first attempt's start to the last retry's start.
     * @param initialBackoff The backoff before the first retry when the publisher gave no Retry-After.
     * @param maxBackoff The longest backoff. A longer Retry-After is still honoured.
     * @param multiplier How much the backoff grows from one retry to the next.
     */
    public record Retry(@DefaultValue("5") int maxAttempts, @DefaultValue("30s") Duration maxElapsed,
            @DefaultValue("200ms") Duration initialBackoff, @DefaultValue("10s") Duration maxBackoff,
            @DefaultValue("2.0") double multiplier) {

        /** These settings as the client's policy. */
        public RetryPolicy toPolicy() {
            return new RetryPolicy(maxAttempts, maxElapsed, initialBackoff, maxBackoff, multiplier);
        }
    }
}

package dev.tidings.common.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * How tokens are verified: HS256 with a shared secret, or RS256 with keys from a JWKS URI (the
 * production option), plus optional issuer and audience checks.
 *
 * @param secret HS256 secret, at least 32 bytes; {@code null} when {@code jwksUri} is set
 * @param jwksUri JWKS endpoint of an RS256 issuer; {@code null} for HS256
 * @param issuer required {@code iss}, or {@code null} for none
 * @param audience required {@code aud}, or {@code null} for none
 * @param clockSkew tolerated clock difference for {@code exp} and {@code nbf}
 */
public record JwtSettings(@Nullable String secret, @Nullable URI jwksUri, @Nullable String issuer,
        @Nullable String audience, Duration clockSkew) {

    /** Minimum HS256 secret length in bytes (RFC 7518 section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    public JwtSettings {
        boolean hasSecret = secret != null && !secret.isEmpty();
        if (hasSecret == (jwksUri != null)) {
            throw new IllegalArgumentException(
                    "set exactly one of tidings.jwt.secret (TIDINGS_JWT_SECRET) and tidings.jwt.jwks-uri");
        }
        if (hasSecret && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "tidings.jwt.secret (TIDINGS_JWT_SECRET) must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("tidings.jwt.clock-skew must be between 0 and 5 minutes");
        }
    }

    /**
     * Settings read from {@code tidings.jwt.secret}, {@code .jwks-uri}, {@code .issuer},
     * {@code .audience} and {@code .clock-skew} (ISO-8601 or seconds; default 30 s) through
     * {@code lookup}, e.g. a Spring {@code Environment::getProperty}.
     */
    public static JwtSettings from(Function<String, @Nullable String> lookup) {
        String jwks = blankToNull(lookup.apply("tidings.jwt.jwks-uri"));
        String skew = blankToNull(lookup.apply("tidings.jwt.clock-skew"));
        Duration clockSkew;
        try {
            clockSkew = skew == null ? Duration.ofSeconds(30)
                    : skew.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(skew)) : Duration.parse(skew);
        }
        catch (RuntimeException ex) {
            throw new IllegalArgumentException("tidings.jwt.clock-skew is not a duration: " + skew, ex);
        }
        return new JwtSettings(blankToNull(lookup.apply("tidings.jwt.secret")), jwks == null ? null : URI.create(jwks),
                blankToNull(lookup.apply("tidings.jwt.issuer")), blankToNull(lookup.apply("tidings.jwt.audience")),
                clockSkew);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** HS256 settings with the default 30 s clock skew and no issuer or audience check. */
    public static JwtSettings hmac(String secret) {
        return new JwtSettings(secret, null, null, null, Duration.ofSeconds(30));
    }
}

package dev.tidings.common.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How tokens are verified: HS256 with one or more shared secrets, or RS256 with keys from a JWKS
 * URI (the production option), plus optional issuer and audience checks. Services bind them from
 * {@code tidings.jwt.*} with {@link JwtProperties}.
 *
 * @param secrets HS256 verification secrets, each at least 32 bytes, any of which may have signed a
 *     token (several while a secret is rotated); empty when {@code jwksUri} is set
 * @param jwksUri JWKS endpoint of an RS256 issuer; {@code null} for HS256
 * @param issuer required {@code iss}, or {@code null} for none
 * @param audience required {@code aud}, or {@code null} for none
 * @param clockSkew tolerated clock difference for {@code exp} and {@code nbf}: a token is accepted
 *     until {@code exp + clockSkew}, and a session it opened is closed at that same instant
 */
public record JwtSettings(List<String> secrets, @Nullable URI jwksUri, @Nullable String issuer,
        @Nullable String audience, Duration clockSkew) {

    /** Minimum HS256 secret length in bytes (RFC 7518 section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    public JwtSettings {
        secrets = List.copyOf(secrets);
        if (secrets.isEmpty() == (jwksUri == null)) {
            throw new IllegalArgumentException("set exactly one of tidings.jwt.secret (TIDINGS_JWT_SECRET) or "
                    + "tidings.jwt.secrets (TIDINGS_JWT_SECRETS), and tidings.jwt.jwks-uri");
        }
        for (String secret : secrets) {
            if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("tidings.jwt.secret (TIDINGS_JWT_SECRET) and each of "
                        + "tidings.jwt.secrets (TIDINGS_JWT_SECRETS) must be at least " + MIN_SECRET_BYTES + " bytes");
            }
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("tidings.jwt.clock-skew must be between 0 and 5 minutes");
        }
    }

    /**
     * The HS256 secret tokens are issued with where this service issues any ({@code tidings.jwt.secret},
     * else the first of {@code tidings.jwt.secrets}); {@code null} with a JWKS issuer.
     */
    public @Nullable String primarySecret() {
        return secrets.isEmpty() ? null : secrets.get(0);
    }

    /** HS256 settings accepting any of the secrets, with the default 30 s clock skew and no issuer or audience check. */
    public static JwtSettings hmac(String... secrets) {
        return new JwtSettings(List.of(secrets), null, null, null, Duration.ofSeconds(30));
    }
}

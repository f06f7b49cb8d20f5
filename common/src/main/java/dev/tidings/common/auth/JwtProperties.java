package dev.tidings.common.auth;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * The {@code tidings.jwt.*} settings both services verify tokens with, bound by Spring Boot (so
 * {@code TIDINGS_JWT_SECRET} and the other environment variables work as for any property).
 *
 * @param secret the HS256 secret tokens are issued and verified with
 * @param secrets further HS256 secrets that may have signed a token (a comma-separated or indexed
 *     list), while a secret is rotated
 * @param jwksUri JWKS endpoint of an RS256 issuer, instead of secrets
 * @param issuer required {@code iss}, if any
 * @param audience required {@code aud}, if any
 * @param clockSkew tolerated clock difference for {@code exp} and {@code nbf} (a bare number is seconds)
 */
@ConfigurationProperties("tidings.jwt")
public record JwtProperties(@Nullable String secret, @Nullable List<String> secrets, @Nullable String jwksUri,
        @Nullable String issuer, @Nullable String audience,
        @DefaultValue("30s") @DurationUnit(ChronoUnit.SECONDS) Duration clockSkew) {

    /** The settings these properties give, checked ({@link JwtSettings}); blank values count as unset. */
    public JwtSettings settings() {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        if (!isBlank(secret)) {
            all.add(secret);
        }
        if (secrets != null) {
            for (String entry : secrets) {
                if (!isBlank(entry)) {
                    all.add(entry.strip());
                }
            }
        }
        return new JwtSettings(new ArrayList<>(all), isBlank(jwksUri) ? null : URI.create(jwksUri),
                isBlank(issuer) ? null : issuer, isBlank(audience) ? null : audience, clockSkew);
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}

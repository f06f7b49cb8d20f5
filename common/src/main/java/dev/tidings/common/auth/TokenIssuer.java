package dev.tidings.common.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * Issues HS256 tokens for local development and tests ({@code ./tidings token}, the demo page's
 * dev token endpoint). Production deployments get tokens from their identity provider.
 *
 * <p>Thread-safe: immutable.
 */
public final class TokenIssuer {

    private final MACSigner signer;
    private final @Nullable String issuer;
    private final @Nullable String audience;

    public TokenIssuer(String secret) {
        this(secret, null, null);
    }

    /** Issues tokens that also carry {@code iss} and {@code aud} where given, as a verifier may require. */
    public TokenIssuer(String secret, @Nullable String issuer, @Nullable String audience) {
        this.issuer = issuer;
        this.audience = audience;
        JwtSettings.hmac(secret); // validates length
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        }
        catch (JOSEException ex) {
            throw new IllegalArgumentException("unusable HS256 secret", ex);
        }
    }

    /** A signed token for the user, its groups and scopes, valid for {@code ttl}. */
    public String issue(String userId, Collection<String> groups, Collection<String> scopes, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("groups", List.copyOf(groups))
                .claim("scope", String.join(" ", scopes))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .issuer(issuer)
                .audience(audience)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("cannot sign token", ex);
        }
        return jwt.serialize();
    }
}

package dev.tidings.common.auth;

import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies bearer tokens and turns them into {@link Principal}s. The signing algorithm is
 * pinned (HS256 for a shared secret, RS256 for a JWKS issuer), so {@code alg: none} and
 * HS/RS confusion are rejected; {@code exp} is required, {@code exp}/{@code nbf} are checked
 * with the configured clock skew, and {@code iss}/{@code aud} when configured. A token is good
 * until {@code exp} plus the clock skew, and {@link Principal#expiresAt()} is that same instant.
 * HS256 accepts any of the configured secrets, so a secret can be rotated without a gap.
 *
 * <p>Thread-safe: the underlying Nimbus processor is immutable after construction.
 */
public final class JwtVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final boolean remoteKeys;
    private final Duration clockSkew;

    public JwtVerifier(JwtSettings settings) {
        JWSVerificationKeySelector<SecurityContext> keys;
        if (settings.jwksUri() != null) {
            JWKSource<SecurityContext> source;
            try {
                source = JWKSourceBuilder.create(settings.jwksUri().toURL()).retrying(true).build();
            }
            catch (MalformedURLException ex) {
                throw new IllegalArgumentException("tidings.jwt.jwks-uri is not a URL: " + settings.jwksUri(), ex);
            }
            keys = new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, source);
        }
        else {
            // Every secret is a candidate key: the processor tries each until one verifies, so tokens
            // signed with the old and the new secret are both accepted while a secret is rotated.
            List<JWK> secrets = new ArrayList<>();
            for (String secret : settings.secrets()) {
                secrets.add(new OctetSequenceKey.Builder(secret.getBytes(StandardCharsets.UTF_8))
                        .algorithm(JWSAlgorithm.HS256).build());
            }
            keys = new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableJWKSet<>(new JWKSet(secrets)));
        }
        this.remoteKeys = settings.jwksUri() != null;
        this.clockSkew = settings.clockSkew();
        processor.setJWSKeySelector(keys);
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (settings.issuer() != null) {
            exact.issuer(settings.issuer());
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience(), exact.build(), Set.of("sub", "exp"));
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * Whether {@link #verify} may fetch keys over the network (RS256 with a JWKS URI: on a cold or
     * refreshing cache, or for an unknown key id), so callers on an event loop must call it elsewhere.
     */
    public boolean fetchesKeys() {
        return remoteKeys;
    }

    /**
     * Verifies a compact JWS. May block on a JWKS fetch when {@link #fetchesKeys()}.
     *
     * @throws InvalidTokenException with a reason safe to show the caller
     */
    public Principal verify(String token) throws InvalidTokenException {
        if (token.isBlank()) {
            throw new InvalidTokenException("missing token");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        }
        catch (ParseException ex) {
            throw new InvalidTokenException("malformed token", ex);
        }
        catch (BadJOSEException ex) {
            throw new InvalidTokenException("invalid token: " + ex.getMessage(), ex);
        }
        catch (JOSEException ex) {
            throw new InvalidTokenException("token could not be verified", ex);
        }
        try {
            List<String> groups = claims.getStringListClaim("groups");
            String scope = claims.getStringClaim("scope");
            Set<String> scopes = new HashSet<>();
            if (scope != null) {
                for (String s : scope.trim().split("\\s+")) {
                    if (!s.isEmpty()) {
                        scopes.add(s);
                    }
                }
            }
            Date exp = claims.getExpirationTime();
            // One deadline for the token: accepted until exp + skew, so whoever holds the principal
            // (a session's expiry timer, a cache) stops at the instant verification would refuse it.
            return new Principal(claims.getSubject(), groups == null ? Set.of() : new HashSet<>(groups), scopes,
                    Instant.ofEpochMilli(exp.getTime()).plus(clockSkew));
        }
        catch (ParseException | RuntimeException ex) {
            throw new InvalidTokenException("invalid claims: groups must be an array of strings, scope a string", ex);
        }
    }
}

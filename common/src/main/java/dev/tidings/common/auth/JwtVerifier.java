package dev.tidings.common.auth;

import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
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
 * with the configured clock skew, and {@code iss}/{@code aud} when configured.
 *
 * <p>Thread-safe: the underlying Nimbus processor is immutable after construction.
 */
public final class JwtVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

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
            byte[] secret = settings.secret().getBytes(StandardCharsets.UTF_8);
            keys = new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret));
        }
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
     * Verifies a compact JWS.
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
            return new Principal(claims.getSubject(), groups == null ? Set.of() : new HashSet<>(groups), scopes,
                    Instant.ofEpochMilli(exp.getTime()));
        }
        catch (ParseException | RuntimeException ex) {
            throw new InvalidTokenException("invalid claims: groups must be an array of strings, scope a string", ex);
        }
    }
}

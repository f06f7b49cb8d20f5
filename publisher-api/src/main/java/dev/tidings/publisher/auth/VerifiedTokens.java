package dev.tidings.publisher.auth;

import java.time.Clock;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tidings.common.auth.InvalidTokenException;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;

/**
 * Verifies bearer tokens, remembering each verified token for a short while so that a service
 * calling with the same token again is not parsed and MAC-checked again on every request.
 *
 * <p>A publisher sends the same token for many requests, and verifying it (base64 and JSON parsing
 * of header and claims, the HMAC, the claim checks) is a large part of the cost of a single publish
 * (docs/tuning.md). An entry is keyed by the exact token string, so only a token that verified
 * before can hit; it lives at most {@link #MAX_AGE} and never past the token's {@code exp};
 * failures are never remembered, so no invalid token is ever accepted and bad tokens cannot fill
 * the cache; the cache holds at most {@link #MAX_ENTRIES} tokens.
 *
 * <p>Thread-safe.
 */
final class VerifiedTokens {

    /** How long a verified token is remembered at most. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    /** How many verified tokens are remembered at most. */
    static final int MAX_ENTRIES = 10_000;

    private final JwtVerifier verifier;
    private final Clock clock;
    private final Cache<String, Principal> verified;

    VerifiedTokens(JwtVerifier verifier) {
        this(verifier, Clock.systemUTC(), Ticker.systemTicker());
    }

    VerifiedTokens(JwtVerifier verifier, Clock clock, Ticker ticker) {
        this.verifier = verifier;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .ticker(ticker)
                .expireAfter(Expiry.creating((String token, Principal principal) -> lifetime(principal)))
                .build();
    }

    /**
     * The principal of a valid token.
     *
     * @throws InvalidTokenException as {@link JwtVerifier#verify} does
     */
    Principal verify(String token) throws InvalidTokenException {
        Principal known = verified.getIfPresent(token);
        if (known != null && known.expiresAt().isAfter(clock.instant())) {
            return known;
        }
        Principal principal = verifier.verify(token);
        if (!lifetime(principal).isZero()) {
            verified.put(token, principal);
        }
        return principal;
    }

    /** Until the token expires, at most {@link #MAX_AGE}; zero for one that expires now. */
    private Duration lifetime(Principal principal) {
        Duration left = Duration.between(clock.instant(), principal.expiresAt());
        if (left.isNegative() || left.isZero()) {
            return Duration.ZERO;
        }
        return left.compareTo(MAX_AGE) < 0 ? left : MAX_AGE;
    }

    /** For tests: whether {@code token} is remembered now. */
    boolean remembers(String token) {
        return verified.getIfPresent(token) != null;
    }
}

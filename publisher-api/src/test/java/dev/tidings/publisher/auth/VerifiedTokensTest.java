package dev.tidings.publisher.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.tidings.common.auth.InvalidTokenException;
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private static final String SECRET = "a-test-secret-of-at-least-32-bytes-long!";

    private final AtomicLong elapsedNanos = new AtomicLong();
    private final Instant start = Instant.now();
    private final VerifiedTokens tokens = new VerifiedTokens(new JwtVerifier(JwtSettings.hmac(SECRET)),
            new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return start.plusNanos(elapsedNanos.get());
                }
            }, elapsedNanos::get);
    private final TokenIssuer issuer = new TokenIssuer(SECRET);

    private void advance(Duration by) {
        elapsedNanos.addAndGet(by.toNanos());
    }

    @Test
    void answersAVerifiedTokenAgainFromMemory() throws InvalidTokenException {
        String token = issuer.issue("svc", List.of(), List.of("notifications:publish"), Duration.ofHours(1));

        Principal first = tokens.verify(token);
        Principal again = tokens.verify(token);

        assertThat(tokens.remembers(token)).isTrue();
        assertThat(again).isSameAs(first);
        assertThat(again.userId()).isEqualTo("svc");
        assertThat(again.scopes()).containsExactly("notifications:publish");
    }

    @Test
    void neverRemembersATokenThatFailed() {
        String token = issuer.issue("svc", List.of(), List.of(), Duration.ofHours(1));
        String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");

        assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(InvalidTokenException.class);
        assertThat(tokens.remembers(forged)).isFalse();
    }

    @Test
    void forgetsAVerifiedTokenAfterAMinute() throws InvalidTokenException {
        String token = issuer.issue("svc", List.of(), List.of(), Duration.ofHours(1));
        tokens.verify(token);

        advance(VerifiedTokens.MAX_AGE.minusSeconds(1));
        assertThat(tokens.remembers(token)).isTrue();
        advance(Duration.ofSeconds(2));
        assertThat(tokens.remembers(token)).isFalse();
    }

    @Test
    void remembersATokenNoLongerThanItIsValid() throws InvalidTokenException {
        String token = issuer.issue("svc", List.of(), List.of(), Duration.ofSeconds(5));
        tokens.verify(token);

        // Valid until exp plus the verifier's 30 s clock skew: the instant verify would refuse it.
        advance(Duration.ofSeconds(34));
        assertThat(tokens.remembers(token)).isTrue();
        advance(Duration.ofSeconds(2));
        assertThat(tokens.remembers(token)).isFalse();
    }
}

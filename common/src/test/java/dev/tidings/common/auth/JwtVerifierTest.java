package dev.tidings.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";

    private final JwtVerifier verifier = new JwtVerifier(JwtSettings.hmac(SECRET));
    private final TokenIssuer issuer = new TokenIssuer(SECRET);

    @Test
    void acceptsATokenSignedWithTheSecretAndReadsItsClaims() throws Exception {
        String token = issuer.issue("alice", List.of("Class:201901"), List.of("notifications:publish"),
                Duration.ofMinutes(5));

        Principal principal = verifier.verify(token);

        assertThat(principal.userId()).isEqualTo("alice");
        assertThat(principal.groups()).containsExactly("Class:201901");
        assertThat(principal.hasScope(Principal.SCOPE_PUBLISH)).isTrue();
        assertThat(principal.hasScope(Principal.SCOPE_REPLAY)).isFalse();
    }

    @Test
    void rejectsATokenSignedWithAnotherSecret() {
        String token = new TokenIssuer("another-secret-that-is-long-enough-0123456789")
                .issue("alice", Set.of(), Set.of(), Duration.ofMinutes(5));

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void rejectsAnExpiredToken() {
        String token = issuer.issue("alice", Set.of(), Set.of(), Duration.ofMinutes(-5));

        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("xpired");
    }

    @Test
    void rejectsAnUnsignedAlgNoneToken() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String body = b64("{\"sub\":\"alice\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}");

        assertThatThrownBy(() -> verifier.verify(header + "." + body + "."))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void rejectsGarbageAndEmptyTokens() {
        assertThatThrownBy(() -> verifier.verify("not.a.jwt")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify("")).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesSecretsShorterThan32Bytes() {
        assertThatThrownBy(() -> JwtSettings.hmac("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TIDINGS_JWT_SECRET");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes());
    }
}

package dev.tidings.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

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

    @Test
    void aTokenAcceptedPastItsExpWithinTheClockSkewIsGoodUntilThePrincipalsExpiryNotClosedAtOnce() throws Exception {
        Instant before = Instant.now();
        String token = issuer.issue("alice", Set.of(), Set.of(), Duration.ofSeconds(-10));

        Principal principal = verifier.verify(token);

        // One rule: the handshake accepts the token until exp + skew, and the session it opens
        // (closed at expiresAt) lasts until that same instant, not 0 ms.
        assertThat(principal.expiresAt()).isAfter(before.plusSeconds(15))
                .isBefore(before.plusSeconds(21));
    }

    @Test
    void aTokenPastExpAndTheClockSkewIsRefused() {
        String token = issuer.issue("alice", Set.of(), Set.of(), Duration.ofSeconds(-31));

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void acceptsTokensSignedWithAnyOfTheVerificationSecretsSoASecretCanBeRotatedWithoutAGap() throws Exception {
        String next = "the-next-secret-of-at-least-thirty-two-bytes";
        JwtVerifier rotating = new JwtVerifier(bound(Map.of(
                "tidings.jwt.secret", SECRET, "tidings.jwt.secrets", " " + next + " ")));

        assertThat(rotating.verify(issuer.issue("old", Set.of(), Set.of(), Duration.ofMinutes(5))).userId())
                .isEqualTo("old");
        assertThat(rotating.verify(new TokenIssuer(next).issue("new", Set.of(), Set.of(), Duration.ofMinutes(5)))
                .userId()).isEqualTo("new");
        assertThatThrownBy(() -> rotating.verify(new TokenIssuer("a-third-secret-of-at-least-thirty-two-bytes")
                .issue("forged", Set.of(), Set.of(), Duration.ofMinutes(5)))).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void readsVerificationSecretsAsACommaSeparatedOrAnIndexedList() {
        String a = "secret-a-of-at-least-thirty-two-bytes-long";
        String b = "secret-b-of-at-least-thirty-two-bytes-long";

        assertThat(bound(Map.of("tidings.jwt.secrets", a + "," + b)).secrets()).containsExactly(a, b);
        assertThat(bound(Map.of("tidings.jwt.secrets[0]", a, "tidings.jwt.secrets[1]", b)).secrets())
                .containsExactly(a, b);
        assertThatThrownBy(() -> bound(Map.of("tidings.jwt.secrets", a + ",short")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TIDINGS_JWT_SECRETS");
    }

    @Test
    void takesItsSettingsFromEnvironmentVariablesAndReadsABareClockSkewAsSeconds() {
        var environment = new SystemEnvironmentPropertySource("environment", Map.of("TIDINGS_JWT_SECRET", SECRET,
                "TIDINGS_JWT_CLOCK_SKEW", "45", "TIDINGS_JWT_JWKS_URI", "", "TIDINGS_JWT_ISSUER", "https://id.example"));

        JwtSettings settings = new Binder(ConfigurationPropertySources.from(environment))
                .bind("tidings.jwt", JwtProperties.class).get().settings();

        assertThat(settings.secrets()).containsExactly(SECRET);
        assertThat(settings.jwksUri()).as("blank counts as unset").isNull();
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.issuer()).isEqualTo("https://id.example");
    }

    @Test
    void withoutAnySettingItRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> bound(Map.of("tidings.jwt.issuer", "https://id.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TIDINGS_JWT_SECRET");
    }

    /** The settings Spring Boot binds from these {@code tidings.jwt.*} properties. */
    private static JwtSettings bound(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bind("tidings.jwt", JwtProperties.class)
                .get().settings();
    }

    @Test
    void onlyAJwksVerifierSaysItMayFetchKeys() {
        assertThat(verifier.fetchesKeys()).isFalse();
        assertThat(new JwtVerifier(new JwtSettings(List.of(), java.net.URI.create("http://127.0.0.1:1/jwks"), null,
                null, Duration.ofSeconds(30))).fetchesKeys()).isTrue();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes());
    }
}

package dev.tidings.cli.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tidings.cli.CliRunner;
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;

class TokenCommandTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

    @TempDir
    Path home;

    @Test
    void printsOnlyATokenThatVerifiesWithTheSecretAndCarriesUserGroupsAndScopes() throws Exception {
        CliRunner.Result result = CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET)
                .run("token", "--user", "alice", "--groups", "Class:201901,Club:chess",
                        "--scope", "notifications:publish notifications:replay", "--ttl", "15m");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String token = result.out().strip();
        assertThat(token).as("stdout holds the token alone, for TOKEN=$(tidings token ...)").doesNotContain("\n");
        Principal principal = new JwtVerifier(JwtSettings.hmac(SECRET)).verify(token);
        assertThat(principal.userId()).isEqualTo("alice");
        assertThat(principal.groups()).containsExactlyInAnyOrder("Class:201901", "Club:chess");
        assertThat(principal.scopes()).containsExactlyInAnyOrder(Principal.SCOPE_PUBLISH, Principal.SCOPE_REPLAY);
        assertThat(principal.expiresAt()).isCloseTo(Instant.now().plus(15, ChronoUnit.MINUTES), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void issuesAClientTokenWithoutScopesValidForOneHourByDefault() throws Exception {
        CliRunner.Result result = CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET).run("token", "--user", "bob");

        Principal principal = new JwtVerifier(JwtSettings.hmac(SECRET)).verify(result.out().strip());
        assertThat(principal.scopes()).isEmpty();
        assertThat(principal.groups()).isEmpty();
        assertThat(principal.expiresAt()).isCloseTo(Instant.now().plus(1, ChronoUnit.HOURS), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void acceptsScopesSeparatedByCommasOrRepeatedOptions() throws Exception {
        CliRunner.Result result = CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET)
                .run("token", "--user", "ops", "--scope", "notifications:publish,", "--scope", "notifications:replay");

        Principal principal = new JwtVerifier(JwtSettings.hmac(SECRET)).verify(result.out().strip());
        assertThat(principal.scopes()).containsExactlyInAnyOrder(Principal.SCOPE_PUBLISH, Principal.SCOPE_REPLAY);
    }

    @Test
    void signsWithTheDevSecretFileWhenTheEnvironmentHasNone() throws Exception {
        CliRunner runner = CliRunner.in(home);
        java.nio.file.Files.createDirectories(runner.workspace().stateDir());
        java.nio.file.Files.writeString(runner.workspace().devSecretFile(), SECRET + "\n");

        CliRunner.Result result = runner.run("token", "--user", "alice");

        assertThat(new JwtVerifier(JwtSettings.hmac(SECRET)).verify(result.out().strip()).userId()).isEqualTo("alice");
    }

    @Test
    void failsWithAClearMessageWhenThereIsNoSecretAtAll() {
        CliRunner.Result result = CliRunner.in(home).run("token", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("no signing secret", "TIDINGS_JWT_SECRET", "tidings up");
    }

    @Test
    void rejectsAMissingUserAndAnUnreadableTtlAsUsageErrors() {
        CliRunner runner = CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET);

        CliRunner.Result noUser = runner.run("token");
        CliRunner.Result badTtl = runner.run("token", "--user", "alice", "--ttl", "soon");

        assertThat(noUser.exitCode()).isEqualTo(2);
        assertThat(noUser.err()).contains("--user");
        assertThat(badTtl.exitCode()).isEqualTo(2);
        assertThat(badTtl.err()).contains("'soon' is not a duration");
    }
}

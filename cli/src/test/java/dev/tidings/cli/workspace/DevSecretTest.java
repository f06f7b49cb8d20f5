package dev.tidings.cli.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSecretTest {

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();

    private Workspace workspace() {
        return new Workspace(home, home.resolve(".tidings"), env::get);
    }

    @Test
    void generatesASecretOnceAndKeepsItSoTokensSurviveRestarts() throws Exception {
        DevSecret first = DevSecret.obtain(workspace());
        DevSecret second = DevSecret.obtain(workspace());

        assertThat(first.source()).isEqualTo(DevSecret.Source.GENERATED);
        assertThat(second.source()).isEqualTo(DevSecret.Source.FILE);
        assertThat(second.value()).isEqualTo(first.value());
        assertThat(first.value().getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Files.getPosixFilePermissions(workspace().devSecretFile()))
                .as("only the owner may read the secret")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void prefersTidingsJwtSecretFromTheEnvironmentAndWritesNothing() {
        env.put(DevSecret.ENV_VAR, "an-environment-secret-long-enough-0123456789");

        DevSecret secret = DevSecret.obtain(workspace());

        assertThat(secret.value()).isEqualTo("an-environment-secret-long-enough-0123456789");
        assertThat(secret.source()).isEqualTo(DevSecret.Source.ENVIRONMENT);
        assertThat(secret.file()).isNull();
        assertThat(workspace().devSecretFile()).doesNotExist();
    }

    @Test
    void refusesASecretShorterThan32BytesNamingWhereItCameFrom() {
        env.put(DevSecret.ENV_VAR, "too-short");

        assertThatThrownBy(() -> DevSecret.obtain(workspace()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("TIDINGS_JWT_SECRET must hold at least 32 bytes");
    }

    @Test
    void requireNeverInventsASecret() {
        assertThatThrownBy(() -> DevSecret.require(workspace()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("no signing secret");
        assertThat(workspace().devSecretFile()).doesNotExist();
    }

    @Test
    void keepsTheSecretOutOfToString() {
        DevSecret secret = DevSecret.obtain(workspace());

        assertThat(secret.toString()).doesNotContain(secret.value());
    }
}

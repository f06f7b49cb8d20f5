package dev.tidings.cli.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import dev.tidings.common.auth.JwtSettings;

import org.jspecify.annotations.Nullable;

/**
 * The HS256 secret local tokens are signed with: {@code TIDINGS_JWT_SECRET} when set, else the dev
 * secret {@code tidings up} generated once into {@code .tidings/dev-secret}, so tokens stay valid
 * across restarts.
 *
 * @param value the secret itself
 * @param source where it came from
 * @param file the dev secret file when the secret lives there, else {@code null}
 */
public record DevSecret(String value, Source source, @Nullable Path file) {

    /** Environment variable that overrides the generated dev secret. */
    public static final String ENV_VAR = "TIDINGS_JWT_SECRET";

    /** Where a secret came from. */
    public enum Source { ENVIRONMENT, FILE, GENERATED }

    private static final int GENERATED_BYTES = 32;

    /** The secret for {@code up}: the environment's, the saved one, or a new one saved for next time. */
    public static DevSecret obtain(Workspace workspace) {
        DevSecret existing = find(workspace);
        if (existing != null) {
            return existing;
        }
        byte[] random = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path file = workspace.devSecretFile();
        try {
            Files.createDirectories(file.getParent());
            createPrivate(file);
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        }
        catch (FileAlreadyExistsException raced) {
            return read(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
        return new DevSecret(secret, Source.GENERATED, file);
    }

    /** The secret for {@code token} and {@code publish}, which never invent one. */
    public static DevSecret require(Workspace workspace) {
        DevSecret existing = find(workspace);
        if (existing == null) {
            throw new CliException("no signing secret: set " + ENV_VAR + " (at least "
                    + JwtSettings.MIN_SECRET_BYTES + " bytes), or run `tidings up` once to create "
                    + workspace.display(workspace.devSecretFile()));
        }
        return existing;
    }

    private static @Nullable DevSecret find(Workspace workspace) {
        String fromEnv = workspace.env(ENV_VAR);
        if (fromEnv != null) {
            requireLongEnough(fromEnv, ENV_VAR);
            return new DevSecret(fromEnv, Source.ENVIRONMENT, null);
        }
        Path file = workspace.devSecretFile();
        return Files.isRegularFile(file) ? read(file) : null;
    }

    private static DevSecret read(Path file) {
        try {
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            requireLongEnough(secret, file.toString());
            return new DevSecret(secret, Source.FILE, file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }

    private static void requireLongEnough(String secret, String origin) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < JwtSettings.MIN_SECRET_BYTES) {
            throw new CliException(origin + " must hold at least " + JwtSettings.MIN_SECRET_BYTES
                    + " bytes for HS256");
        }
    }

    private static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    @Override
    public String toString() {
        return "DevSecret[source=" + source + ", file=" + file + "]";
    }
}

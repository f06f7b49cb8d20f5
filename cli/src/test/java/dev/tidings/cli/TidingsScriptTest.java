package dev.tidings.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tidings} script's build step, run against a stand-in {@code mvnw} that prints what
 * Maven prints in batch mode and a stand-in {@code java}: it shows each module as Maven starts it
 * and a line during long silences, and the errors and the log's place when the build fails.
 */
class TidingsScriptTest {

    @TempDir
    Path root;

    @Test
    void showsEachModuleAndALineDuringLongSilencesWhileItBuilds() throws Exception {
        fakeMaven("""
                echo "$@" > mvnw.args
                echo '[INFO] Scanning for projects...'
                echo '[INFO] Downloaded from central: https://repo.maven.apache.org/x.pom (1 kB at 9 kB/s)'
                echo '[INFO] Downloaded from central: https://repo.maven.apache.org/y.jar (5 kB at 9 kB/s)'
                echo '[INFO] Building Tidings :: common 0.1.0-SNAPSHOT                             [1/2]'
                echo '[INFO] Building jar: /somewhere/tidings-common-0.1.0-SNAPSHOT.jar'
                sleep 3
                echo '[INFO] Building Tidings :: cli 0.1.0-SNAPSHOT                                [2/2]'
                mkdir -p cli/target/lib && echo jar > cli/target/tidings-cli.jar
                echo '[INFO] BUILD SUCCESS'
                """);

        Run run = tidings("token", "--user", "alice");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains(
                "tidings: building cli (./mvnw -B -DskipTests install -pl cli -am; log in .tidings/build.log)",
                "tidings:   [1/2] Tidings :: common 0.1.0-SNAPSHOT\n",
                "tidings:   still building Tidings :: common 0.1.0-SNAPSHOT (",
                "2 files downloaded)",
                "tidings:   [2/2] Tidings :: cli 0.1.0-SNAPSHOT\n",
                "tidings: built cli in ");
        assertThat(run.err()).doesNotContain("Building jar", "Scanning for projects", "BUILD SUCCESS");
        assertThat(run.err().indexOf("[1/2]")).isLessThan(run.err().indexOf("still building"));
        assertThat(run.err().indexOf("still building")).isLessThan(run.err().indexOf("[2/2]"));
        assertThat(Files.readString(root.resolve("mvnw.args")).strip())
                .isEqualTo("-B -DskipTests install -pl cli -am");
        assertThat(Files.readString(root.resolve(".tidings/build.log"))).contains("Building jar", "BUILD SUCCESS");
        assertThat(run.out()).contains("-jar " + root.toRealPath().resolve("cli/target/tidings-cli.jar")
                + " token --user alice");
    }

    @Test
    void showsTheErrorsAndWhereTheLogIsWhenTheBuildFails() throws Exception {
        fakeMaven("""
                echo '[INFO] Building Tidings :: common 0.1.0-SNAPSHOT                             [1/2]'
                echo '[INFO] Compiling 12 source files'
                echo '[ERROR] /src/Foo.java:[3,1] class, interface, enum, or record expected'
                echo '[ERROR] BUILD FAILURE'
                exit 1
                """);

        Run run = tidings("token", "--user", "alice");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tidings:   [1/2] Tidings :: common 0.1.0-SNAPSHOT",
                "[ERROR] /src/Foo.java:[3,1] class, interface, enum, or record expected",
                "tidings: the build of cli failed (exit 1); the whole log is "
                        + root.toRealPath().resolve(".tidings/build.log"),
                "cli was never built");
        assertThat(run.err()).doesNotContain("Compiling 12 source files");
        assertThat(run.out()).as("the CLI did not run").isEmpty();
    }

    @Test
    void buildsTheBenchTheSameWay() throws Exception {
        fakeMaven("""
                echo "$@" > mvnw.args
                echo '[INFO] Building Tidings :: bench 0.1.0-SNAPSHOT                              [3/3]'
                mkdir -p bench/target && echo jar > bench/target/tidings-bench.jar
                """);
        Files.createDirectories(root.resolve("bench/src"));

        Run run = tidings("bench", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("tidings: building bench (./mvnw -B -DskipTests install -pl bench -am;",
                "tidings:   [3/3] Tidings :: bench 0.1.0-SNAPSHOT", "tidings: built bench in ");
        assertThat(Files.readString(root.resolve("mvnw.args")).strip())
                .isEqualTo("-B -DskipTests install -pl bench -am");
        assertThat(run.out()).contains("-jar " + root.toRealPath().resolve("bench/target/tidings-bench.jar") + " --help");
    }

    /** A root holding the script under test, {@code mvnw} running {@code body}, and a {@code java} that echoes. */
    private void fakeMaven(String body) throws IOException {
        Path script = Path.of("..", "tidings").toAbsolutePath().normalize();
        assertThat(script).as("the tidings script at the repository root").exists();
        Files.copy(script, root.resolve("tidings"));
        executable(root.resolve("tidings"));
        Files.writeString(root.resolve("mvnw"), "#!/usr/bin/env bash\n" + body, StandardCharsets.UTF_8);
        executable(root.resolve("mvnw"));
        Files.createDirectories(root.resolve("jdk/bin"));
        Files.writeString(root.resolve("jdk/bin/java"), "#!/bin/sh\necho \"java $*\"\n", StandardCharsets.UTF_8);
        executable(root.resolve("jdk/bin/java"));
        // Sources for the staleness check: cli has to be built.
        Files.createDirectories(root.resolve("cli/src"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n", StandardCharsets.UTF_8);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run tidings(String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = root.resolve("tidings").toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        builder.environment().put("TIDINGS_PROGRESS_EVERY", "1");
        builder.environment().remove("TIDINGS_SKIP_BUILD");
        builder.redirectOutput(root.resolve("out.txt").toFile());
        builder.redirectError(root.resolve("err.txt").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script ends within 60 s").isTrue();
        return new Run(process.exitValue(), Files.readString(root.resolve("out.txt")),
                Files.readString(root.resolve("err.txt")));
    }

    /** What a run of the script printed and returned. */
    private record Run(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}

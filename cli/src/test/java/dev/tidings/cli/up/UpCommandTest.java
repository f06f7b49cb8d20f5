package dev.tidings.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tidings.cli.CliRunner;
import dev.tidings.cli.process.Ports;

class UpCommandTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

    @TempDir
    Path home;

    private void fakeServiceJars() throws IOException {
        for (String module : new String[] { "publisher-api", "gateway-node" }) {
            Path target = Files.createDirectories(home.resolve(module).resolve("target"));
            Files.createFile(target.resolve("tidings-" + module + "-0.1.0-SNAPSHOT-exec.jar"));
        }
    }

    @Test
    void refusesToStartWhenAPortIsTakenAndStartsNothing() throws Exception {
        fakeServiceJars();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int taken = busy.getLocalPort();

            CliRunner.Result result = CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET)
                    .run("up", "--nodes", "1", "--kafka-port", String.valueOf(taken),
                            "--publisher-port", String.valueOf(Ports.freePort()),
                            "--first-gateway-port", String.valueOf(Ports.freePort()));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.err()).contains("port " + taken + " (for kafka) is already in use on 127.0.0.1",
                    "--kafka-port");
            assertThat(home.resolve(".tidings/logs")).as("no process was started").doesNotExist();
            assertThat(home.resolve(".tidings/up.pids")).doesNotExist();
        }
    }

    @Test
    void namesTheServiceJarsThatAreNotBuiltYet() {
        CliRunner.Result result = CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET).run("up");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("not built yet",
                "publisher-api/target/tidings-publisher-api-*-exec.jar",
                "gateway-node/target/tidings-gateway-node-*-exec.jar",
                "./mvnw -B -q -DskipTests install");
    }

    @Test
    void refusesOverlappingPortsAsAUsageError() throws Exception {
        fakeServiceJars();

        CliRunner.Result result = CliRunner.in(home).withEnv("TIDINGS_JWT_SECRET", SECRET)
                .run("up", "--publisher-port", "8082");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("port 8082 would be used by both publisher-api and gw-2");
    }

    @Test
    void rejectsAnUnknownOptionAndANonNumericNodeCount() {
        CliRunner runner = CliRunner.in(home);

        assertThat(runner.run("up", "--node", "2").err()).contains("Unknown options: '--node'", "Possible solutions: --nodes");
        assertThat(runner.run("up", "--nodes", "two").exitCode()).isEqualTo(2);
    }
}

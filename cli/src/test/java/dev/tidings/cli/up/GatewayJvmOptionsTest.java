package dev.tidings.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayJvmOptionsTest {

    @TempDir
    Path dir;

    private final Path thisJava = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void aJavaThatStartsWithAnOptionIsToldApartFromOneThatRefusesIt() {
        assertThat(GatewayJvmOptions.starts(thisJava, List.of("-version"))).isTrue();
        assertThat(GatewayJvmOptions.starts(thisJava, List.of("-XX:+NoSuchOptionAnywhere", "-version"))).isFalse();
        assertThat(GatewayJvmOptions.starts(dir.resolve("no-java-here"), List.of("-version"))).isFalse();
    }

    @Test
    void theGatewaysGetEachSetOfOptionsOnlyFromAJdkThatStartsWithIt() throws IOException {
        Path refuses = script("refuses", "exit 1");
        Path accepts = script("accepts", "exit 0");
        Path noShenandoah = script("no-shenandoah", "case \"$*\" in *UseShenandoahGC*) exit 1 ;; esac");

        assertThat(GatewayJvmOptions.defaultOptions(refuses)).isEmpty();
        assertThat(GatewayJvmOptions.defaultOptions(accepts))
                .isEqualTo(GatewayJvmOptions.SHENANDOAH + " " + GatewayJvmOptions.THREAD_PRIORITIES);
        assertThat(GatewayJvmOptions.defaultOptions(noShenandoah)).isEqualTo(GatewayJvmOptions.THREAD_PRIORITIES);
    }

    @Test
    void thisJdkStartsWithTheThreadPrioritiesAndTheirMapping() {
        List<String> arguments = new ArrayList<>(List.of(GatewayJvmOptions.THREAD_PRIORITIES.split(" ")));
        arguments.add("-version");

        assertThat(GatewayJvmOptions.starts(thisJava, arguments)).isTrue();
        assertThat(GatewayJvmOptions.defaultOptions(thisJava)).as("this JDK, asked for real")
                .endsWith(GatewayJvmOptions.THREAD_PRIORITIES);
    }

    /** A stand-in for {@code java}: a shell script that ends with {@code body}. */
    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}

package dev.tidings.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayCollectorTest {

    @TempDir
    Path dir;

    private final Path thisJava = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void aJavaThatStartsWithAnOptionIsToldApartFromOneThatRefusesIt() {
        assertThat(GatewayCollector.starts(thisJava, List.of("-version"))).isTrue();
        assertThat(GatewayCollector.starts(thisJava, List.of("-XX:+NoSuchOptionAnywhere", "-version"))).isFalse();
        assertThat(GatewayCollector.starts(dir.resolve("no-java-here"), List.of("-version"))).isFalse();
    }

    @Test
    void theGatewaysGetShenandoahOnlyFromAJdkThatStartsWithIt() throws IOException {
        Path refuses = script("refuses", "exit 1");
        Path accepts = script("accepts", "exit 0");

        assertThat(GatewayCollector.defaultOptions(refuses)).isEmpty();
        assertThat(GatewayCollector.defaultOptions(accepts)).isEqualTo(GatewayCollector.SHENANDOAH);
        assertThat(GatewayCollector.defaultOptions(thisJava)).as("this JDK, asked for real")
                .isEqualTo(GatewayCollector.starts(thisJava, List.of("-XX:+UseShenandoahGC", "-version"))
                        ? GatewayCollector.SHENANDOAH : "");
    }

    /** A stand-in for {@code java}: a shell script that ends with {@code body}. */
    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}

package dev.tidings.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClasspathTest {

    @TempDir
    Path dir;

    private Path pom;
    private Path cache;
    private Path jarA;
    private Path jarB;

    @BeforeEach
    void files() throws Exception {
        pom = Files.writeString(dir.resolve("pom.xml"), "<project/>");
        jarA = Files.createFile(dir.resolve("a.jar"));
        jarB = Files.createFile(dir.resolve("b.jar"));
        cache = Files.writeString(dir.resolve("broker-classpath.txt"), jarA + File.pathSeparator + jarB + "\n");
        Files.setLastModifiedTime(pom, FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void reusesACacheNewerThanThePomWhoseJarsAllExist() {
        assertThat(BrokerClasspath.readValid(cache, pom)).containsExactly(jarA, jarB);
        assertThat(BrokerClasspath.join(BrokerClasspath.readValid(cache, pom)))
                .isEqualTo(jarA + File.pathSeparator + jarB);
    }

    @Test
    void resolvesAgainWhenThePomChangedSinceTheCacheWasWritten() throws Exception {
        Files.setLastModifiedTime(pom, FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(BrokerClasspath.readValid(cache, pom)).isEmpty();
    }

    @Test
    void resolvesAgainWhenAJarWasDeletedFromTheLocalRepository() throws Exception {
        Files.delete(jarB);

        assertThat(BrokerClasspath.readValid(cache, pom)).isEmpty();
    }

    @Test
    void resolvesWhenThereIsNoCacheYet() throws Exception {
        Files.delete(cache);

        assertThat(BrokerClasspath.readValid(cache, pom)).isEmpty();
    }
}

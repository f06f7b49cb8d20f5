package dev.tidings.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StartFileTest {

    @Test
    void aLoadGeneratorGivenAStartFileSignalsItIsReadyAndWaitsUntilTheFileExists(@TempDir Path dir) throws Exception {
        Path start = dir.resolve("go");
        Files.writeString(start, "left over from a former run");
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                BenchCommand.awaitFile(start, ".ready", "started");
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });

        Path ready = dir.resolve("go.ready");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ready));
        assertThat(Files.readString(ready)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(start).as("a start file from before is no signal").doesNotExist();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());

        Files.createFile(start);
        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(waiting).isCompleted();
    }

    @Test
    void theStartFileIsAnOption() {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs("--start-file", "/tmp/x");
        assertThat(bench.startFile).isEqualTo(Path.of("/tmp/x"));
    }
}

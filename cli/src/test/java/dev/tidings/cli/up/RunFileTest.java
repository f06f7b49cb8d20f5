package dev.tidings.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tidings.cli.process.ChildProcess;

class RunFileTest {

    @TempDir
    Path dir;

    @Test
    void namesServiceProcessesAnEarlierRunLeftBehind() {
        RunFile runFile = new RunFile(dir.resolve("up.pids"));
        // The marker is the shell's $0, so it shows on the command line as on a service JVM's.
        ChildProcess leftover = ChildProcess.start("gw-1",
                List.of("sh", "-c", "while :; do sleep 0.05; done", ChildProcess.SERVICE_MARKER + "gw-1"),
                Map.of(), dir.resolve("gw-1.log"));
        try {
            // Until the child has exec'd, its command line is still the JVM's, marker-less: a run that
            // leaves processes behind is long past that point.
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(leftover.pid())
                    .flatMap(h -> h.info().commandLine())
                    .filter(commandLine -> commandLine.contains(ChildProcess.SERVICE_MARKER + "gw-1"))
                    .isPresent());
            runFile.write(List.of(leftover));

            assertThat(runFile.leftovers()).containsExactly(new RunFile.Leftover("gw-1", leftover.pid()));
        }
        finally {
            leftover.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void ignoresAndDeletesAStaleFileWhosePidsAreGoneOrReused() throws Exception {
        Path file = dir.resolve("up.pids");
        long self = ProcessHandle.current().pid(); // alive, but not a Tidings service
        Files.writeString(file, "kafka " + self + "\ngw-1 999999999\ngarbage\n");

        assertThat(new RunFile(file).leftovers()).isEmpty();
        assertThat(file).doesNotExist();
    }
}

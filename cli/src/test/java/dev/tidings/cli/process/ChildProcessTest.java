package dev.tidings.cli.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    @Test
    void sendsOutputAndTheGivenEnvironmentToItsLogAndKeepsThePreviousRunsLog() throws Exception {
        Path log = dir.resolve("logs").resolve("svc.log");

        ChildProcess first = ChildProcess.start("svc", List.of("sh", "-c", "echo run one"), Map.of(), log);
        first.awaitExit(Duration.ofSeconds(5));
        ChildProcess second = ChildProcess.start("svc", List.of("sh", "-c", "echo \"run $RUN\" >&2"),
                Map.of("RUN", "two"), log);
        second.awaitExit(Duration.ofSeconds(5));

        assertThat(Files.readString(log)).isEqualTo("run two\n");
        assertThat(Files.readString(dir.resolve("logs").resolve("svc.log.1"))).isEqualTo("run one\n");
        assertThat(LogTail.of(log, 5)).containsExactly("run two");
    }

    @Test
    void stopsWithSigtermWithinTheGracePeriod() {
        ChildProcess process = ChildProcess.start("polite",
                List.of("sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.05; done"), Map.of(),
                dir.resolve("polite.log"));

        boolean graceful = process.stop(Duration.ofSeconds(5));

        assertThat(graceful).isTrue();
        assertThat(process.isAlive()).isFalse();
        assertThat(process.stopRequested()).isTrue();
    }

    @Test
    void killsAProcessThatIgnoresSigtermOnceTheGracePeriodIsOverAndItsChildrenToo() {
        ChildProcess process = ChildProcess.start("stubborn",
                List.of("sh", "-c", "trap '' TERM; sleep 30 & while :; do sleep 0.05; done"), Map.of(),
                dir.resolve("stubborn.log"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(process.pid()).orElseThrow().descendants().count() >= 1);
        List<ProcessHandle> children = ProcessHandle.of(process.pid()).orElseThrow().descendants().toList();

        boolean graceful = process.stop(Duration.ofMillis(300));

        assertThat(graceful).isFalse();
        assertThat(process.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(children).noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void runsInASessionOfItsOwnSoCtrlCInTheTerminalReachesOnlyTheCli() throws Exception {
        ChildProcess process = ChildProcess.start("detached", List.of("sh", "-c", "ps -o sid= -p $$"), Map.of(),
                dir.resolve("detached.log"));
        process.awaitExit(Duration.ofSeconds(5));

        String sessionId = Files.readString(dir.resolve("detached.log")).strip();
        assertThat(sessionId).as("a session leader's session id is its own pid").isEqualTo(String.valueOf(process.pid()));
    }

    @Test
    void describesExitCodesOfSignals() {
        assertThat(ChildProcess.describeExit(143)).isEqualTo("exit code 143 (SIGTERM)");
        assertThat(ChildProcess.describeExit(137)).isEqualTo("exit code 137 (SIGKILL)");
        assertThat(ChildProcess.describeExit(1)).isEqualTo("exit code 1");
    }
}

package dev.tidings.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tidings.cli.process.ChildProcess;

class SupervisorTest {

    @TempDir
    Path dir;

    private final StringWriter output = new StringWriter();
    private Supervisor supervisor;

    @AfterEach
    void stopEverything() {
        if (supervisor != null) {
            supervisor.shutdown();
        }
    }

    private Supervisor supervisor() {
        supervisor = new Supervisor(new PrintWriter(output, true), new RunFile(dir.resolve("up.pids")),
                Duration.ofSeconds(5), path -> dir.relativize(path).toString());
        return supervisor;
    }

    /**
     * A shell that, on SIGTERM, appends its name to {@code stop-order.txt} and exits; returned once its trap
     * is set (a SIGTERM before that would end it without a word, as it would any process that has not yet
     * installed its handler).
     */
    private ChildProcess service(String name) {
        Path ready = dir.resolve(name + ".ready");
        String script = "trap 'echo " + name + " >> " + dir.resolve("stop-order.txt") + "; exit 0' TERM; "
                + ": > " + ready + "; while :; do sleep 0.05; done";
        ChildProcess process = ChildProcess.start(name, List.of("sh", "-c", script), Map.of(),
                dir.resolve(name + ".log"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ready));
        return process;
    }

    /** {@code gw-1}: prints {@code line}, then exits with {@code code} at once. */
    private ChildProcess dyingGateway(String line, int code) {
        return ChildProcess.start("gw-1", List.of("sh", "-c", "echo " + line + "; exit " + code), Map.of(),
                dir.resolve("gw-1.log"));
    }

    /** Waits for the supervised run to end, failing the test after 10 s rather than hanging it. */
    private static void assertEndsWithinTenSeconds(Supervisor supervisor, String message) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), supervisor::awaitEnd, message);
    }

    @Test
    void stopsGatewaysFirstThenThePublisherThenTheBroker() throws Exception {
        Supervisor supervisor = supervisor();
        ChildProcess kafka = service("kafka");
        ChildProcess publisher = service("publisher-api");
        ChildProcess gw1 = service("gw-1");
        ChildProcess gw2 = service("gw-2");
        supervisor.add(Supervisor.TIER_BROKER, kafka);
        supervisor.add(Supervisor.TIER_PUBLISHER, publisher);
        supervisor.add(Supervisor.TIER_GATEWAYS, gw1);
        supervisor.add(Supervisor.TIER_GATEWAYS, gw2);
        assertThat(Files.readString(dir.resolve("up.pids"))).contains("kafka " + kafka.pid(), "gw-2 " + gw2.pid());

        supervisor.shutdown();

        List<String> order = Files.readAllLines(dir.resolve("stop-order.txt"));
        assertThat(order).hasSize(4);
        assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("gw-1", "gw-2");
        assertThat(order.subList(2, 4)).containsExactly("publisher-api", "kafka");
        assertThat(List.of(kafka, publisher, gw1, gw2)).noneMatch(ChildProcess::isAlive);
        assertThat(dir.resolve("up.pids")).as("a clean stop leaves no run file").doesNotExist();
        assertThat(output.toString()).contains("Stopping gw-1", "Stopped.");
    }

    @Test
    void reportsAProcessThatDiesOnItsOwnWhileTheOthersKeepRunning() {
        Supervisor supervisor = supervisor();
        ChildProcess gw1 = service("gw-1");
        ChildProcess gw2 = service("gw-2");
        supervisor.add(Supervisor.TIER_GATEWAYS, gw1);
        supervisor.add(Supervisor.TIER_GATEWAYS, gw2);
        supervisor.watch();

        ProcessHandle.of(gw1.pid()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.toString())
                .contains("gw-1 (pid " + gw1.pid() + ") stopped unexpectedly (exit code 137 (SIGKILL)). Log: gw-1.log",
                        "The others keep running"));
        assertThat(gw2.isAlive()).isTrue();
    }

    @Test
    void endsWhenEveryProcessHasDiedOnItsOwn() throws Exception {
        Supervisor supervisor = supervisor();
        ChildProcess gw1 = dyingGateway("boom", 3);
        supervisor.add(Supervisor.TIER_GATEWAYS, gw1);
        supervisor.watch();

        assertEndsWithinTenSeconds(supervisor, "a run whose only process died must end");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.toString())
                .contains("exit code 3", "| boom", "Every process has stopped"));
        assertThat(supervisor.isShuttingDown()).isFalse();
    }

    @Test
    void endsEvenWhenEveryProcessDiedBeforeWatchingBegan() throws Exception {
        Supervisor supervisor = supervisor();
        ChildProcess gw1 = dyingGateway("early", 4);
        supervisor.add(Supervisor.TIER_GATEWAYS, gw1);
        gw1.onExit().get(10, TimeUnit.SECONDS);

        supervisor.watch();

        assertEndsWithinTenSeconds(supervisor, "a run whose only process died before watch() must still end");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.toString())
                .contains("exit code 4", "Every process has stopped"));
        assertThat(output.toString().split("stopped unexpectedly", -1)).as("reported once").hasSize(2);
    }

    @Test
    void stopsAProcessAddedAfterTheShutdownBegan() {
        Supervisor supervisor = supervisor();
        supervisor.shutdown();
        ChildProcess late = service("gw-1");

        supervisor.add(Supervisor.TIER_GATEWAYS, late);

        assertThat(late.isAlive()).isFalse();
    }
}

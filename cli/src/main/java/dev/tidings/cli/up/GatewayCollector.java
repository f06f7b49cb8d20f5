package dev.tidings.cli.up;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The garbage collector {@code tidings up} gives the gateway nodes when {@code TIDINGS_GATEWAY_JAVA_OPTS}
 * is not set: Shenandoah, as the gateway image runs, when the JDK has it (OpenJDK from Debian, Red Hat
 * and Temurin do; Oracle's builds do not), else the JVM's default. A gateway's tail latency is its
 * collector's pauses: G1's young pauses of 20–40 ms land on every session of the node at once, and a
 * burst of allocation (a flood of records) brings several of them within a second.
 */
final class GatewayCollector {

    /** Shenandoah, with its control thread checking every 10 ms instead of every millisecond, as in the image. */
    static final String SHENANDOAH = "-XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions "
            + "-XX:ShenandoahControlIntervalMin=10";

    private GatewayCollector() {
    }

    /** {@link #SHENANDOAH} when {@code java} starts with it, else no options (the JVM's default collector). */
    static String defaultOptions(Path java) {
        return starts(java, List.of("-XX:+UseShenandoahGC", "-version")) ? SHENANDOAH : "";
    }

    /** Whether {@code java} with these arguments exits 0 within 30 s. */
    static boolean starts(Path java, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

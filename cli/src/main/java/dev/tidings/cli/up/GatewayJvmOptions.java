package dev.tidings.cli.up;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM options {@code tidings up} gives the gateway nodes when {@code TIDINGS_GATEWAY_JAVA_OPTS} is not set:
 * the gateway image's, each set when the JDK starts with it.
 * <ul>
 * <li>{@link #SHENANDOAH}: the collector (OpenJDK from Debian, Red Hat and Temurin has it; Oracle's builds do
 *     not). A gateway's tail latency is its collector's pauses: G1's young pauses of 20–40 ms land on every session
 *     of the node at once, and a burst of allocation (a flood of records) brings several of them within a second.</li>
 * <li>{@link #THREAD_PRIORITIES}: the gateway's background threads (the inbox, the dead-letter check) at nice 10,
 *     every other thread where it is, so that on busy cores the live path runs first.</li>
 * </ul>
 */
final class GatewayJvmOptions {

    /** Shenandoah, with its control thread checking every 10 ms instead of every millisecond, as in the image. */
    static final String SHENANDOAH = "-XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions "
            + "-XX:ShenandoahControlIntervalMin=10";

    /**
     * Java thread priorities handed to Linux: {@link Thread#MIN_PRIORITY} as nice 10, every other priority as
     * nice 0 (without the mapping the JVM's own threads at high priorities would ask for negative nice values).
     * The JVM warns at start when it does not run as root; raising a thread's nice value needs no privilege.
     */
    static final String THREAD_PRIORITIES = "-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=10 "
            + "-XX:JavaPriority2_To_OSPriority=0 -XX:JavaPriority3_To_OSPriority=0 -XX:JavaPriority4_To_OSPriority=0 "
            + "-XX:JavaPriority5_To_OSPriority=0 -XX:JavaPriority6_To_OSPriority=0 -XX:JavaPriority7_To_OSPriority=0 "
            + "-XX:JavaPriority8_To_OSPriority=0 -XX:JavaPriority9_To_OSPriority=0 -XX:JavaPriority10_To_OSPriority=0";

    private GatewayJvmOptions() {
    }

    /** Those of {@link #SHENANDOAH} and {@link #THREAD_PRIORITIES} that {@code java} starts with, space-separated. */
    static String defaultOptions(Path java) {
        List<String> options = new ArrayList<>();
        for (String set : List.of(SHENANDOAH, THREAD_PRIORITIES)) {
            List<String> arguments = new ArrayList<>(List.of(set.split(" ")));
            arguments.add("-version");
            if (starts(java, arguments)) {
                options.add(set);
            }
        }
        return String.join(" ", options);
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

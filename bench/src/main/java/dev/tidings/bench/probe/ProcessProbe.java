package dev.tidings.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one process's resource use from {@code /proc}: CPU ticks ({@code utime + stime}), peak
 * and current resident set. Finds the process listening on a TCP port with {@code ss -ltnp}.
 * A process that is gone reads as -1.
 *
 * <p>Thread-safe: stateless apart from the cached clock tick rate.
 */
public final class ProcessProbe {

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessProbe() {
    }

    /** The pid of the process listening on {@code port}, if {@code ss} shows one. */
    public static OptionalLong pidListeningOn(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :" + port).redirectErrorStream(true).start();
            if (!ss.waitFor(5, TimeUnit.SECONDS)) {
                ss.destroyForcibly();
                return OptionalLong.empty();
            }
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = PID.matcher(out);
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        }
        catch (IOException ex) {
            return OptionalLong.empty();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** CPU time used so far ({@code utime + stime}) in microseconds, or -1. */
    public static long cpuMicros(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return -1;
        }
        return cpuMicrosFromStat(stat, TICKS_PER_SECOND);
    }

    /** Parses {@code /proc/<pid>/stat}: fields 14 and 15 counted after the parenthesised command name. */
    static long cpuMicrosFromStat(String stat, long ticksPerSecond) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000 / ticksPerSecond;
    }

    /** Peak resident set ({@code VmHWM}) in KiB, or -1. */
    public static long peakRssKib(long pid) {
        return statusKib(pid, "VmHWM:");
    }

    /** Current resident set ({@code VmRSS}) in KiB, or -1. */
    public static long rssKib(long pid) {
        return statusKib(pid, "VmRSS:");
    }

    /** Resets the peak resident set to the current one ({@code echo 5 > /proc/<pid>/clear_refs}); false if not allowed. */
    public static boolean resetPeakRss(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            return true;
        }
        catch (IOException | SecurityException ex) {
            return false;
        }
    }

    /** The pid of this JVM. */
    public static long self() {
        return ProcessHandle.current().pid();
    }

    static long statusKib(long pid, String key) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return -1;
        }
        return statusValueKib(status, key);
    }

    static long statusValueKib(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                String[] parts = line.substring(key.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return -1;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            return null;
        }
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            }
        }
        catch (IOException | NumberFormatException ex) {
            // fall through to the Linux default
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}

package dev.tidings.bench.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole-machine CPU from the first line of {@code /proc/stat}: busy = total - idle - iowait.
 *
 * @param totalTicks every tick of every CPU so far
 * @param idleTicks idle and iowait ticks so far
 */
public record MachineCpu(long totalTicks, long idleTicks) {

    /** The counters now. */
    public static MachineCpu now() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
        }
        catch (IOException ex) {
            return new MachineCpu(0, 0);
        }
    }

    static MachineCpu parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new MachineCpu(total, Long.parseLong(f[4]) + Long.parseLong(f[5]));
    }

    /** Percent of all CPUs busy between {@code earlier} and this reading (100 = every core busy). */
    public long busyPercentSince(MachineCpu earlier) {
        long total = totalTicks - earlier.totalTicks;
        long idle = idleTicks - earlier.idleTicks;
        return total <= 0 ? -1 : Math.round((total - idle) * 100.0 / total);
    }
}

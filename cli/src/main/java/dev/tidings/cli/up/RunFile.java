package dev.tidings.cli.up;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tidings.cli.process.ChildProcess;

/**
 * {@code .tidings/up.pids}: the services a running {@code tidings up} started, one {@code name pid}
 * per line, so that the next {@code up} can name the processes a killed CLI left behind.
 */
final class RunFile {

    private final Path file;

    RunFile(Path file) {
        this.file = file;
    }

    /** Rewrites the file with the processes started so far. */
    void write(List<ChildProcess> processes) {
        StringBuilder text = new StringBuilder();
        for (ChildProcess process : processes) {
            text.append(process.name()).append(' ').append(process.pid()).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (IOException bestEffort) {
            // Only a hint for the next run; never a reason to stop this one.
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException bestEffort) {
            // Same as above.
        }
    }

    /**
     * Processes listed in the file that still run a Tidings service of that name, as
     * {@code name (pid N)}; a stale file, whose processes are gone, is deleted.
     */
    List<Leftover> leftovers() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Leftover> alive = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length != 2) {
                    continue;
                }
                String name = parts[0];
                long pid;
                try {
                    pid = Long.parseLong(parts[1]);
                }
                catch (NumberFormatException ignored) {
                    continue;
                }
                Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                boolean same = handle.filter(ProcessHandle::isAlive)
                        .flatMap(h -> h.info().commandLine())
                        .filter(commandLine -> commandLine.contains(ChildProcess.SERVICE_MARKER + name))
                        .isPresent();
                if (same) {
                    alive.add(new Leftover(name, pid));
                }
            }
        }
        catch (IOException unreadable) {
            return List.of();
        }
        if (alive.isEmpty()) {
            delete();
        }
        return alive;
    }

    /**
     * A service process an earlier {@code up} started that is still running.
     *
     * @param name service name
     * @param pid its process id
     */
    record Leftover(String name, long pid) {

        @Override
        public String toString() {
            return name + " (pid " + pid + ")";
        }
    }
}

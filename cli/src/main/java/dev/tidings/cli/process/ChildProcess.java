package dev.tidings.cli.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One service the CLI runs as its own OS process (the broker, the publisher, a gateway), with its
 * output in a log file, stopped with SIGTERM and, past a grace period, SIGKILL.
 *
 * <p>On Linux the process is started through {@code setsid}, in a session of its own, so that
 * Ctrl-C in the terminal reaches only the CLI, which then stops its children in order (gateways
 * before the publisher before the broker) instead of all of them at once.
 *
 * <p>Thread-safe: the process handle is safe to share; {@link #stopRequested} is volatile.
 */
public final class ChildProcess {

    /** System property put on every child JVM's command line, so that {@code ps} shows which service it is. */
    public static final String SERVICE_MARKER = "-Dtidings.service=";

    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final String SETSID = findSetsid();

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile boolean stopRequested;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts the command with extra environment variables, its stdout and stderr appended to a log
     * file that is emptied first (the previous run's log is kept as {@code <log>.1}).
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment,
            Path logFile) {
        List<String> full = new ArrayList<>();
        if (!SETSID.isEmpty()) {
            full.add(SETSID);
        }
        full.addAll(command);
        try {
            rotate(logFile);
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            return new ChildProcess(name, builder.start(), logFile);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", full), ex);
        }
    }

    /** Starts a JVM: {@code java -Dtidings.service=<name> <jvmOptions> <arguments>}. */
    public static ChildProcess startJava(String name, Path java, List<String> jvmOptions, List<String> arguments,
            Map<String, String> environment, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        // First, so that it is in the part of the command line ps and /proc show even when long.
        command.add(SERVICE_MARKER + name);
        command.addAll(jvmOptions);
        command.addAll(arguments);
        return start(name, command, environment, logFile);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@link #terminate()} was called, so an exit is expected. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Completes when the process has exited. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The exit code; only meaningful once the process is gone. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Waits up to the timeout for the process to exit; returns whether it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends SIGTERM to the process and its descendants, without waiting. */
    public void terminate() {
        stopRequested = true;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    /**
     * Waits for the process to exit after {@link #terminate()}, and SIGKILLs it and its descendants
     * past the grace period. Returns whether it exited within the grace period.
     */
    public boolean awaitStopped(Duration grace) {
        stopRequested = true;
        List<ProcessHandle> descendants = process.descendants().toList();
        boolean graceful;
        try {
            graceful = awaitExit(grace);
            if (!graceful) {
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                awaitExit(KILL_WAIT);
            }
            for (ProcessHandle descendant : descendants) {
                descendant.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
        catch (Exception descendantLingers) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            return false;
        }
        return graceful;
    }

    /** {@link #terminate()} then {@link #awaitStopped(Duration)}. */
    public boolean stop(Duration grace) {
        terminate();
        return awaitStopped(grace);
    }

    /** What an exit code says, e.g. {@code "exit code 143 (SIGTERM)"}. */
    public static String describeExit(int exitCode) {
        return switch (exitCode) {
            case 130 -> "exit code 130 (SIGINT)";
            case 137 -> "exit code 137 (SIGKILL)";
            case 143 -> "exit code 143 (SIGTERM)";
            default -> "exit code " + exitCode;
        };
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }

    private static void rotate(Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        if (Files.exists(logFile)) {
            Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createFile(logFile);
    }

    private static String findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "";
    }
}

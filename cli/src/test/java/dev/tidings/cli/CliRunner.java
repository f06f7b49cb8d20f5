package dev.tidings.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.tidings.cli.workspace.Workspace;

import picocli.CommandLine;

/** Runs the CLI in-process against a temporary workspace and a fake environment, capturing its output. */
public final class CliRunner {

    private final Workspace workspace;
    private final Map<String, String> env;

    private CliRunner(Workspace workspace, Map<String, String> env) {
        this.workspace = workspace;
        this.env = env;
    }

    /** A runner whose repository root and state live under {@code home}, with an empty environment. */
    public static CliRunner in(Path home) {
        Map<String, String> env = new HashMap<>();
        return new CliRunner(new Workspace(home, home.resolve(".tidings"), env::get), env);
    }

    public CliRunner withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Workspace workspace() {
        return workspace;
    }

    /** Runs {@code tidings <args>}. */
    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = TidingsCli.commandLine(workspace);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /**
     * What a run printed and returned.
     *
     * @param exitCode the process exit code it would have
     * @param out standard output
     * @param err standard error
     */
    public record Result(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}

package dev.tidings.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.concurrent.Callable;

import dev.tidings.cli.inbox.EraseInboxCommand;
import dev.tidings.cli.node.ForgetNodeCommand;
import dev.tidings.cli.publish.PublishCommand;
import dev.tidings.cli.replay.ReplayCommand;
import dev.tidings.cli.routes.RoutesCommand;
import dev.tidings.cli.tail.TailCommand;
import dev.tidings.cli.token.TokenCommand;
import dev.tidings.cli.up.UpCommand;
import dev.tidings.cli.workspace.CliException;
import dev.tidings.cli.workspace.Workspace;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code tidings} command: entry point that wires the subcommands to the workspace they run in. */
@Command(name = "tidings", mixinStandardHelpOptions = true, versionProvider = TidingsCli.Version.class,
        description = "Tidings: notifications from back-end services to WebSocket clients on any number of "
                + "gateway nodes, through Kafka.",
        subcommands = { UpCommand.class, TokenCommand.class, PublishCommand.class, TailCommand.class,
                ReplayCommand.class, ForgetNodeCommand.class, RoutesCommand.class, EraseInboxCommand.class,
                HelpCommand.class },
        footer = {
                "%nStart here:",
                "  tidings up            a local cluster; Ctrl-C stops it",
                "  tidings token --user alice --groups Class:201901",
                "  tidings publish --group Class:201901 --event grade.published",
                "  tidings tail --user alice --groups Class:201901",
                "  tidings replay --from -2h --group Class:201901 --dry-run",
                "  tidings forget-node --list",
                "  tidings routes check routes.yaml",
                "  tidings up --routes routes.yaml   + the router (docs/ingest.md)",
                "  tidings erase-inbox --user alice",
                "%nLoad test (the bench module, in a JVM of its own; --help lists its options):",
                "  tidings bench --scenario user --clients 1000 --rate 500 --seconds 30",
                "%nEach command has its own --help." })
public final class TidingsCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    public static void main(String[] args) {
        System.exit(commandLine(Workspace.fromSystem()).execute(args));
    }

    /** The command line for a workspace, with subcommands built for it and user errors shown without stack traces. */
    public static CommandLine commandLine(Workspace workspace) {
        CommandLine commandLine = new CommandLine(new TidingsCli(), new WorkspaceFactory(workspace));
        commandLine.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            if (ex instanceof CliException userError) {
                PrintWriter err = failed.getErr();
                err.println("tidings " + failed.getCommandName() + ": " + userError.getMessage());
                err.flush();
                return userError.exitCode();
            }
            throw ex;
        });
        return commandLine;
    }

    /** No subcommand: show what there is, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Builds commands that take the {@link Workspace} in their constructor; everything else picocli's way. */
    private static final class WorkspaceFactory implements CommandLine.IFactory {

        private final Workspace workspace;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        WorkspaceFactory(Workspace workspace) {
            this.workspace = workspace;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Workspace.class);
                return constructor.newInstance(workspace);
            }
            catch (NoSuchMethodException noWorkspace) {
                return fallback.create(type);
            }
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = TidingsCli.class.getPackage().getImplementationVersion();
            return new String[] { "tidings " + (version != null ? version : "(development build)") };
        }
    }
}

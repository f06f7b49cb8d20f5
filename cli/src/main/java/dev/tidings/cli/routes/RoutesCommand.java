package dev.tidings.cli.routes;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.tidings.cli.workspace.CliException;
import dev.tidings.router.routes.InvalidRoutesException;
import dev.tidings.router.routes.Route;
import dev.tidings.router.routes.RouteProblem;
import dev.tidings.router.routes.RoutesFile;
import dev.tidings.router.routes.RoutesParser;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidings routes}: works with the router's routes files. */
@Command(name = "routes", description = "The router's routes files (docs/ingest.md).",
        subcommands = RoutesCommand.Check.class)
public final class RoutesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code tidings routes check FILE}: checks a routes file as the router does at start. */
    @Command(name = "check", description = {
            "Check a routes file as the router does before it starts: every mistake is printed as FILE:LINE:COLUMN: "
                    + "message (unknown keys, bad JSONPaths and patterns, bad target types, an avro-confluent route "
                    + "without a schema-registry, duplicate route names).",
            "Exit status: 0 when the file is valid, 1 when it has mistakes, 2 when it cannot be read." },
            footer = { "%nExample:", "  tidings routes check routes.yaml" })
    public static final class Check implements Callable<Integer> {

        @Spec
        private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

        @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
        private boolean help;

        @Parameters(index = "0", paramLabel = "FILE", description = "The routes YAML file.")
        private Path file = Path.of("routes.yaml");

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String yaml;
            try {
                yaml = Files.readString(file);
            }
            catch (IOException ex) {
                throw new CliException("cannot read " + file + ": " + ex.getMessage(), 2);
            }
            try {
                RoutesFile routes = RoutesParser.parse(yaml, file.toString());
                out.println(file + ": " + routes.routes().size() + " route(s), valid");
                for (Route route : routes.routes()) {
                    out.println("  " + route.name() + "  " + route.topics() + "  " + route.format().yamlName() + " -> "
                            + route.target().type().name().toLowerCase(java.util.Locale.ROOT) + "  (dead letters: "
                            + route.deadLetterTopic() + ")");
                }
                out.flush();
                return 0;
            }
            catch (InvalidRoutesException ex) {
                for (RouteProblem problem : ex.problems()) {
                    err.println(file + ":" + problem);
                }
                err.println(ex.problems().size() + " problem(s) in " + file);
                err.flush();
                return 1;
            }
        }
    }
}

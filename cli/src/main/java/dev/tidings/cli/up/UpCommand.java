package dev.tidings.cli.up;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.tidings.cli.broker.BrokerClasspath;
import dev.tidings.cli.broker.LocalKafkaBroker;
import dev.tidings.cli.option.DurationConverter;
import dev.tidings.cli.process.ChildProcess;
import dev.tidings.cli.process.LogTail;
import dev.tidings.cli.process.Ports;
import dev.tidings.cli.workspace.CliException;
import dev.tidings.cli.workspace.DevSecret;
import dev.tidings.cli.workspace.Workspace;
import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidings up}: runs a local cluster, a real KRaft broker, the publisher API and N gateway
 * nodes, each its own OS process, until Ctrl-C stops them all.
 */
@Command(name = "up", sortOptions = false,
        description = {
                "Start a local cluster until Ctrl-C: a Kafka broker (unless KAFKA_BOOTSTRAP_SERVERS is set), "
                        + "the publisher API and N gateway nodes (and the router, with --routes), each its own OS process, "
                        + "on 127.0.0.1.",
                "State (broker data, logs, dev secret) lives in .tidings/. The JWT secret is TIDINGS_JWT_SECRET, "
                        + "else a dev secret generated once into .tidings/dev-secret.",
                "Extra JVM options for the services: TIDINGS_JAVA_OPTS (default: " + UpCommand.DEFAULT_JAVA_OPTS + "); "
                        + "for the gateway nodes only, TIDINGS_GATEWAY_JAVA_OPTS, added after them (default: the "
                        + "gateway image's Shenandoah collector, " + GatewayJvmOptions.SHENANDOAH
                        + ", and its thread priorities, -XX:ThreadPriorityPolicy=1 with the lowest Java priority "
                        + "at nice 10 and every other at 0, each when the JDK starts with it); "
                        + "for the Kafka broker, TIDINGS_KAFKA_JAVA_OPTS (default: " + LocalKafkaBroker.DEFAULT_JVM_OPTIONS
                        + ")." })
public final class UpCommand implements Callable<Integer> {

    static final String DEFAULT_JAVA_OPTS = "-Xmx512m -XX:+ExitOnOutOfMemoryError";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final int TAIL_LINES = 30;

    private final Workspace workspace;

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--nodes", defaultValue = "2", paramLabel = "N",
            description = "Gateway nodes to run. Default: ${DEFAULT-VALUE}.")
    private int nodes = 2;

    @Option(names = "--kafka-port", defaultValue = "9092", paramLabel = "PORT",
            description = "Port of the local Kafka broker. Default: ${DEFAULT-VALUE}.")
    private int kafkaPort = 9092;

    @Option(names = "--publisher-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the publisher API. Default: ${DEFAULT-VALUE}.")
    private int publisherPort = 8080;

    @Option(names = "--first-gateway-port", defaultValue = "8081", paramLabel = "PORT",
            description = "Port of gw-1; gw-2 gets the next one, and so on. Default: ${DEFAULT-VALUE}.")
    private int firstGatewayPort = 8081;

    @Option(names = "--routes", paramLabel = "FILE",
            description = "Also run the router with this routes file (checked first; docs/ingest.md).")
    private @Nullable Path routes;

    @Option(names = "--router-port", defaultValue = "8090", paramLabel = "PORT",
            description = "HTTP port of the router (health, metrics), with --routes. Default: ${DEFAULT-VALUE}.")
    private int routerPort = 8090;

    @Option(names = "--startup-timeout", defaultValue = "180s", converter = DurationConverter.class,
            paramLabel = "DURATION", description = "How long to wait for each process to be ready. Default: ${DEFAULT-VALUE}.")
    private Duration startupTimeout = Duration.ofSeconds(180);

    public UpCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String externalKafka = workspace.env("KAFKA_BOOTSTRAP_SERVERS");
        RunFile runFile = new RunFile(workspace.runFile());
        refuseLeftovers(runFile);
        Path routesFile = routes == null ? null : RoutesCheck.checked(routes);
        Map<String, Path> builtJars = serviceJars(routesFile != null);
        DevSecret secret = DevSecret.obtain(workspace);
        ClusterPlan plan = ClusterPlan.of(nodes, kafkaPort, publisherPort, firstGatewayPort, secret.value(),
                externalKafka, routesFile, routerPort, workspace.inboxStateDir());
        refuseTakenPorts(plan);
        Map<String, Path> jars = privateCopies(builtJars);

        Supervisor supervisor = new Supervisor(out, runFile, STOP_GRACE, workspace::display);
        Thread hook = new Thread(supervisor::shutdown, "tidings-up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, Long> pids = new LinkedHashMap<>();
        try {
            if (plan.kafkaPort() != null) {
                pids.put(LocalKafkaBroker.NAME, startBroker(plan.kafkaPort(), supervisor, out));
            }
            else {
                say(out, "Using the Kafka cluster at " + externalKafka + " (KAFKA_BOOTSTRAP_SERVERS is set).");
            }
            pids.putAll(startServices(plan, jars, supervisor, out));
        }
        catch (CliException failure) {
            if (supervisor.isShuttingDown()) {
                // Ctrl-C during start-up: the hook is stopping everything; its output says so.
                supervisor.awaitEnd();
                return 130;
            }
            spec.commandLine().getErr().println("tidings up: " + failure.getMessage());
            spec.commandLine().getErr().flush();
            supervisor.shutdown();
            Runtime.getRuntime().removeShutdownHook(hook);
            return failure.exitCode();
        }

        String secretFile = secret.file() != null ? workspace.display(secret.file()) : null;
        say(out, Summary.render(plan, pids, secret, secretFile, workspace.display(workspace.logsDir()), cliInvocation(),
                ProcessHandle.current().pid()));
        supervisor.watch();
        supervisor.awaitEnd();
        if (!supervisor.isShuttingDown()) {
            Runtime.getRuntime().removeShutdownHook(hook);
            return 1;
        }
        return 0;
    }

    private long startBroker(int port, Supervisor supervisor, PrintWriter out) {
        List<Path> classpath = BrokerClasspath.resolve(workspace, out);
        long begin = System.nanoTime();
        say(out, "Starting Kafka on 127.0.0.1:" + port + " (data " + workspace.display(workspace.kafkaDataDir())
                + ", log " + workspace.display(workspace.logFile(LocalKafkaBroker.NAME)) + ") ...");
        LocalKafkaBroker broker = LocalKafkaBroker.launch(new LocalKafkaBroker.Settings(port, workspace.kafkaDataDir(),
                workspace.kafkaConfigDir(), workspace.logFile(LocalKafkaBroker.NAME), startupTimeout,
                options("TIDINGS_KAFKA_JAVA_OPTS", LocalKafkaBroker.DEFAULT_JVM_OPTIONS)),
                classpath, workspace.javaExecutable());
        supervisor.add(Supervisor.TIER_BROKER, broker.process());
        broker.awaitReady();
        say(out, "  kafka ready in " + seconds(begin) + " (pid " + broker.process().pid() + ")");
        return broker.process().pid();
    }

    /**
     * Starts the services in {@link ClusterPlan#startWaves waves}, each once the one before is healthy: the
     * publisher (and the router, if any), then the gateways, together or, on a machine of few cores, one at a time.
     * Each service warms its JIT up before it reports healthy, and warm-ups sharing the cores would settle within
     * their time in none of them. The publisher's is the shorter, and goes first.
     */
    private Map<String, Long> startServices(ClusterPlan plan, Map<String, Path> jars, Supervisor supervisor,
            PrintWriter out) {
        long begin = System.nanoTime();
        List<String> javaOptions = options("TIDINGS_JAVA_OPTS", DEFAULT_JAVA_OPTS);
        List<String> gatewayOptions = new ArrayList<>(javaOptions);
        // The JDK is asked for the image's options only when the user set no options of their own.
        String gatewayDefault = workspace.env("TIDINGS_GATEWAY_JAVA_OPTS") != null ? ""
                : GatewayJvmOptions.defaultOptions(workspace.javaExecutable());
        gatewayOptions.addAll(options("TIDINGS_GATEWAY_JAVA_OPTS", gatewayDefault));
        HealthProbe probe = new HealthProbe();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (List<ServicePlan> wave : plan.startWaves(Runtime.getRuntime().availableProcessors(),
                workspace.env("TIDINGS_WARM_UP"))) {
            // --startup-timeout for each process, counted from its wave's start.
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            Map<ServicePlan, ChildProcess> processes = new LinkedHashMap<>();
            for (ServicePlan service : wave) {
                boolean gateway = service.module().equals(ClusterPlan.GATEWAY_MODULE);
                List<String> arguments = List.of("-jar", jars.get(service.module()).toString());
                ChildProcess process = ChildProcess.startJava(service.name(), workspace.javaExecutable(),
                        gateway ? gatewayOptions : javaOptions, arguments, service.environment(),
                        workspace.logFile(service.name()));
                // The router is a producer, like the publisher: stopped after the gateways, before the broker.
                supervisor.add(gateway ? Supervisor.TIER_GATEWAYS : Supervisor.TIER_PUBLISHER, process);
                processes.put(service, process);
            }
            if (processes.isEmpty()) {
                continue;
            }
            say(out, "Starting " + String.join(", ", processes.keySet().stream().map(ServicePlan::name).toList())
                    + " (logs in " + workspace.display(workspace.logsDir()) + "/) ...");
            processes.forEach((service, process) -> {
                awaitHealthy(service, process, probe, deadline);
                say(out, "  " + service.name() + " healthy on " + service.baseUrl() + " after " + seconds(begin)
                        + " (pid " + process.pid() + ")");
                pids.put(service.name(), process.pid());
            });
        }
        return pids;
    }

    private void awaitHealthy(ServicePlan service, ChildProcess process, HealthProbe probe, long deadline) {
        try {
            while (!probe.isUp(service.healthUri())) {
                if (process.awaitExit(Duration.ofMillis(500))) {
                    throw new CliException(service.name() + " exited during start-up ("
                            + ChildProcess.describeExit(process.exitCode()) + ")" + System.lineSeparator()
                            + LogTail.render(process.logFile(), TAIL_LINES));
                }
                if (System.nanoTime() > deadline) {
                    throw new CliException(service.name() + " did not report UP on " + service.healthUri()
                            + " within " + startupTimeout.toSeconds() + " s (--startup-timeout)"
                            + System.lineSeparator() + LogTail.render(process.logFile(), TAIL_LINES));
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + service.name());
        }
    }

    private Map<String, Path> serviceJars(boolean withRouter) {
        Map<String, Path> jars = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> modules = new ArrayList<>(List.of(ClusterPlan.PUBLISHER_MODULE, ClusterPlan.GATEWAY_MODULE));
        if (withRouter) {
            modules.add(ClusterPlan.ROUTER_MODULE);
        }
        for (String module : modules) {
            workspace.serviceJar(module).ifPresentOrElse(jar -> jars.put(module, jar),
                    () -> missing.add(module + "/target/tidings-" + module + "-*-exec.jar"));
        }
        if (!missing.isEmpty()) {
            throw new CliException("not built yet: " + String.join(", ", missing) + " (in " + workspace.home()
                    + "). Run the ./tidings script, which builds what is missing, or: ./mvnw -B -q -DskipTests install");
        }
        return jars;
    }

    /**
     * Copies the jars into {@code .tidings/jars/} and returns the copies: a JVM reads its jar lazily,
     * so a rebuild of {@code target/} (by anyone, at any time) must not rewrite it under a running service.
     */
    private Map<String, Path> privateCopies(Map<String, Path> jars) {
        Map<String, Path> copies = new LinkedHashMap<>();
        try {
            Files.createDirectories(workspace.serviceJarsDir());
            for (Map.Entry<String, Path> jar : jars.entrySet()) {
                Path copy = workspace.serviceJarsDir().resolve(jar.getKey() + ".jar");
                Path partial = copy.resolveSibling(copy.getFileName() + ".partial");
                Files.copy(jar.getValue(), partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                copies.put(jar.getKey(), copy);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot copy the service jars to " + workspace.serviceJarsDir(), ex);
        }
        return copies;
    }

    private void refuseLeftovers(RunFile runFile) {
        List<RunFile.Leftover> leftovers = runFile.leftovers();
        if (!leftovers.isEmpty()) {
            throw new CliException("processes of an earlier `tidings up` are still running: " + leftovers
                    + System.lineSeparator() + "  stop that `tidings up` with Ctrl-C, or the processes with: kill "
                    + String.join(" ", leftovers.stream().map(l -> String.valueOf(l.pid())).toList()));
        }
    }

    private static void refuseTakenPorts(ClusterPlan plan) {
        List<String> taken = new ArrayList<>();
        plan.ports().forEach((port, owner) -> {
            if (!Ports.isFree(port)) {
                taken.add(port + " (for " + owner + ")");
            }
        });
        if (!taken.isEmpty()) {
            throw new CliException("port" + (taken.size() > 1 ? "s " : " ") + String.join(", ", taken)
                    + (taken.size() > 1 ? " are" : " is") + " already in use on 127.0.0.1." + System.lineSeparator()
                    + "  Stop what listens there (e.g. `ss -ltnp` shows it), or choose other ports with "
                    + "--kafka-port, --publisher-port, --first-gateway-port, --router-port.");
        }
    }

    /** The JVM options in environment variable {@code name}, split on whitespace, or {@code fallback}'s. */
    private List<String> options(String name, String fallback) {
        String configured = workspace.env(name);
        return Arrays.stream((configured != null ? configured : fallback).strip().split("\\s+"))
                .filter(option -> !option.isEmpty())
                .toList();
    }

    /** {@code ./tidings} when the user stands in the repository, else the script's absolute path. */
    private String cliInvocation() {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        return cwd.equals(workspace.home()) ? "./tidings" : workspace.home().resolve("tidings").toString();
    }

    private static String seconds(long beginNanos) {
        return String.format("%.1f s", (System.nanoTime() - beginNanos) / 1e9);
    }

    private static void say(PrintWriter out, String message) {
        out.println(message);
        out.flush();
    }
}

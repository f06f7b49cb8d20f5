package dev.tidings.cli.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The repository the CLI runs from ({@code home}, where {@code mvnw} and the modules' jars are),
 * the directory that holds its local state ({@code .tidings/}: broker data, logs, dev secret), and
 * the environment it reads. Tests pass their own state directory and environment.
 *
 * @param home repository root; the {@code ./tidings} script passes it as {@code -Dtidings.home}
 * @param stateDir local state, normally {@code home/.tidings}
 * @param environment environment variable lookup, normally {@link System#getenv(String)}
 */
public record Workspace(Path home, Path stateDir, Function<String, @Nullable String> environment) {

    /** System property the {@code ./tidings} script sets to the repository root. */
    public static final String HOME_PROPERTY = "tidings.home";

    /** The workspace of this JVM: {@code -Dtidings.home} (else the working directory) and the real environment. */
    public static Workspace fromSystem() {
        String configured = System.getProperty(HOME_PROPERTY);
        Path home = (configured == null || configured.isBlank() ? Path.of("") : Path.of(configured))
                .toAbsolutePath().normalize();
        return new Workspace(home, home.resolve(".tidings"), System::getenv);
    }

    /** The environment variable, or {@code null} when unset or blank. */
    public @Nullable String env(String name) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    /** The file a service's stdout and stderr go to. */
    public Path logFile(String service) {
        return logsDir().resolve(service + ".log");
    }

    public Path kafkaDataDir() {
        return stateDir.resolve("kafka");
    }

    /** The gateways' inbox stores, one directory per gateway port: kept, and reset, with the broker's data. */
    public Path inboxStateDir() {
        return stateDir.resolve("inbox");
    }

    public Path kafkaConfigDir() {
        return stateDir.resolve("kafka-config");
    }

    public Path devSecretFile() {
        return stateDir.resolve("dev-secret");
    }

    /** Copies of the service jars the running services use, safe from rebuilds of {@code target/}. */
    public Path serviceJarsDir() {
        return stateDir.resolve("jars");
    }

    public Path brokerClasspathFile() {
        return stateDir.resolve("broker-classpath.txt");
    }

    /** Process ids of the services a running {@code tidings up} started, to find leftovers. */
    public Path runFile() {
        return stateDir.resolve("up.pids");
    }

    public Path brokerPom() {
        return home.resolve("cli").resolve("broker").resolve("pom.xml");
    }

    public Path mavenWrapper() {
        return home.resolve("mvnw");
    }

    /** The java launcher of this JVM, used for every child JVM. */
    public Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The newest {@code <module>/target/tidings-<module>-*-exec.jar}, if the module was built. */
    public Optional<Path> serviceJar(String module) {
        Path target = home.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        String prefix = "tidings-" + module + "-";
        try (Stream<Path> files = Files.list(target)) {
            return files
                    .filter(file -> {
                        String name = file.getFileName().toString();
                        return name.startsWith(prefix) && name.endsWith("-exec.jar");
                    })
                    .max(Comparator.comparing(Workspace::lastModified));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A path as the user should read it: relative to {@code home} when inside it. */
    public String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(home) ? home.relativize(absolute).toString() : absolute.toString();
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        }
        catch (IOException ex) {
            return 0;
        }
    }
}

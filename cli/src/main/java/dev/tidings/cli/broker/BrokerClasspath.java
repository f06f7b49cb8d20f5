package dev.tidings.cli.broker;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.tidings.cli.process.LogTail;
import dev.tidings.cli.workspace.CliException;
import dev.tidings.cli.workspace.Workspace;

/**
 * The Kafka broker's classpath: the jars of the standalone {@code cli/broker/pom.xml}, resolved
 * from Maven Central through the Maven wrapper once and cached in {@code .tidings/}.
 *
 * <p>The broker pom stays out of the reactor so Spring Boot's dependency management cannot change
 * the broker's slf4j and logging binding.
 */
public final class BrokerClasspath {

    private static final long RESOLVE_TIMEOUT_MINUTES = 10;

    private BrokerClasspath() {
    }

    /** The cached classpath when still valid, else resolves it with {@code mvnw dependency:build-classpath}. */
    public static List<Path> resolve(Workspace workspace, PrintWriter progress) {
        Path cache = workspace.brokerClasspathFile();
        Path pom = workspace.brokerPom();
        if (!Files.isRegularFile(pom)) {
            throw new CliException("broker pom not found: " + pom + " (is tidings.home the repository root?)");
        }
        List<Path> cached = readValid(cache, pom);
        if (!cached.isEmpty()) {
            return cached;
        }
        progress.println("Resolving the Kafka broker's jars from Maven Central (once; cached in "
                + workspace.display(cache) + ") ...");
        progress.flush();
        run(workspace, pom, cache);
        List<Path> resolved = readValid(cache, pom);
        if (resolved.isEmpty()) {
            throw new CliException("resolving " + pom + " gave no usable classpath in " + cache);
        }
        return resolved;
    }

    /** The classpath as the {@code -cp} argument wants it. */
    public static String join(List<Path> classpath) {
        return String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
    }

    private static void run(Workspace workspace, Path pom, Path cache) {
        Path log = workspace.logFile("broker-classpath");
        Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(cache.getParent());
            Process maven = new ProcessBuilder(workspace.mavenWrapper().toString(), "-B", "-q",
                    "-f", pom.toString(), "dependency:build-classpath",
                    "-Dmdep.includeScope=runtime", "-Dmdep.outputFile=" + partial.toAbsolutePath())
                    .directory(workspace.home().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!maven.waitFor(RESOLVE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                maven.destroyForcibly();
                throw new CliException("resolving the broker's jars took over " + RESOLVE_TIMEOUT_MINUTES
                        + " minutes; see " + log);
            }
            if (maven.exitValue() != 0 || !Files.isRegularFile(partial)) {
                throw new CliException("cannot resolve the broker's jars (" + workspace.mavenWrapper()
                        + " exited with " + maven.exitValue() + ")" + System.lineSeparator()
                        + LogTail.render(log, 20));
            }
            Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot run " + workspace.mavenWrapper(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while resolving the broker's jars");
        }
    }

    /** The cached entries, or empty when the cache is missing, older than the pom, or names a deleted jar. */
    static List<Path> readValid(Path cache, Path pom) {
        try {
            if (!Files.isRegularFile(cache)
                    || Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(pom)) < 0) {
                return List.of();
            }
            String text = Files.readString(cache, StandardCharsets.UTF_8).strip();
            List<Path> entries = Arrays.stream(text.split(File.pathSeparator))
                    .filter(entry -> !entry.isBlank())
                    .map(Path::of)
                    .toList();
            return entries.stream().allMatch(Files::isRegularFile) ? entries : List.of();
        }
        catch (IOException ex) {
            return List.of();
        }
    }
}

package dev.tidings.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a main class in a JVM of its own: this JVM's {@code java}, the given options,
 * and this JVM's class path, so a test can run a broker, a gateway or a producer as a separate process of
 * the code under test.
 */
public final class JavaCommand {

    private JavaCommand() {
    }

    /** The {@code java} launcher of the running JVM. */
    public static Path launcher() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code java <jvmOptions> -cp <this class path> <mainClass> <args>}, as a mutable list. */
    public static List<String> of(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }
}

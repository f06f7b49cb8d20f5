package dev.tidings.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Node product service of {@code src/test/node/confluent-producer.mjs}: it writes with
 * Confluent's own Avro serializer and schema registry client (npm {@code @confluentinc/schemaregistry})
 * and kafkajs. Installs its npm packages ({@code npm ci}) when they are missing; a test that needs it
 * is skipped, with the reason, where no {@code node} is on the PATH.
 */
final class ConfluentNodeProducer {

    static final Path DIRECTORY = Path.of("src", "test", "node").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfluentNodeProducer() {
    }

    /**
     * Runs the script with {@code arguments} and answers the JSON lines it printed, one per record
     * written.
     *
     * @throws AssertionError when it fails or takes longer than two minutes, with its output
     */
    static List<JsonNode> run(String... arguments) throws IOException, InterruptedException {
        assumeTrue(available("node", "--version"), "node is not on the PATH: the test that writes with Confluent's "
                + "JavaScript serializer needs Node.js 20 or newer");
        if (!Files.isDirectory(DIRECTORY.resolve("node_modules"))) {
            assumeTrue(available("npm", "--version"), "npm is not on the PATH: cannot install " + DIRECTORY);
            exec(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        List<String> command = new ArrayList<>(List.of("node", "confluent-producer.mjs"));
        command.addAll(List.of(arguments));
        List<JsonNode> written = new ArrayList<>();
        for (String line : exec(command, 120).lines().toList()) {
            if (line.startsWith("{")) {
                written.add(JSON.readTree(line));
            }
        }
        return written;
    }

    private static String exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("confluent-producer-", ".log");
        Process process = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        if (!ended || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + (ended ? " exited with " + process.exitValue()
                    : " did not end within " + timeoutSeconds + " s") + ":\n" + text);
        }
        return text;
    }

    private static boolean available(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.tidings.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.tidings.testing.JavaCommand;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The poison flood's producer: a bulk producer, as a misconfigured service writing garbage would be,
 * that writes {@code count} records of 48 random bytes (never the Avro single-object marker) and
 * collects where each landed ({@code partition:offset}).
 *
 * <p>{@link #main} runs it as a process of its own ({@link Child}), so that the flood's producing,
 * batching and acknowledgements do not run in the JVM whose clients time the live records, at the
 * lowest CPU priority, as a service on machines of its own would be: it connects, prints
 * {@code ready}, waits for a line on standard input, writes the flood, writes the origins to the file
 * named by its fourth argument, prints {@code done} and exits.
 */
final class PoisonProducer {

    private PoisonProducer() {
    }

    /** Writes the flood and returns the origins of the records the broker acknowledged. */
    static Set<String> write(KafkaProducer<String, byte[]> producer, String topic, int count) {
        Set<String> origins = ConcurrentHashMap.newKeySet();
        Random random = new Random(7);
        for (int i = 0; i < count; i++) {
            byte[] garbage = new byte[48];
            random.nextBytes(garbage);
            garbage[0] = 0x7F; // not the Avro single-object marker
            producer.send(new ProducerRecord<>(topic, "poison-" + i, garbage), (metadata, error) -> {
                if (error == null) {
                    origins.add(metadata.partition() + ":" + metadata.offset());
                }
            });
        }
        producer.flush();
        return origins;
    }

    static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Arguments: bootstrap servers, topic, record count, the file to write the origins to. */
    public static void main(String[] args) throws IOException {
        String topic = args[1];
        int count = Integer.parseInt(args[2]);
        try (KafkaProducer<String, byte[]> producer = producer(args[0])) {
            producer.partitionsFor(topic); // metadata fetched before the signal, not during the flood
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            Set<String> origins = write(producer, topic, count);
            Files.write(Path.of(args[3]), origins, StandardCharsets.UTF_8);
        }
        System.out.println("done");
        System.out.flush();
    }

    /** {@link #main} as a child process of this JVM, started and connected, waiting for {@link #flood()}. */
    static final class Child implements AutoCloseable {

        private static final Path NICE = Path.of("/usr/bin/nice");

        private final Process process;
        private final BufferedReader output;
        private final Path origins;

        Child(String bootstrapServers, String topic, int count) throws IOException {
            origins = Files.createTempFile("poison-origins-", ".txt");
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(NICE)) {
                // The flooding service stands for one on machines of its own: its own CPU yields to the
                // deployment's processes (broker, nodes, the clients timing them) on these shared cores.
                command.addAll(List.of(NICE.toString(), "-n", "19"));
            }
            // A small client JVM: a service's producer, not a server.
            command.addAll(JavaCommand.of(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                    PoisonProducer.class.getName(),
                    List.of(bootstrapServers, topic, String.valueOf(count), origins.toString())));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            expect("ready");
        }

        /** Signals the process to write the flood; returns at once. */
        void flood() throws IOException {
            process.getOutputStream().write('\n');
            process.getOutputStream().flush();
        }

        /** Waits for the flood to be written and acknowledged; the origins of its records. */
        Collection<String> origins() throws IOException, InterruptedException {
            expect("done");
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("the poison producer did not exit cleanly");
            }
            return Files.readAllLines(origins, StandardCharsets.UTF_8);
        }

        private void expect(String line) throws IOException {
            String read = output.readLine();
            if (!line.equals(read)) {
                throw new AssertionError("the poison producer said " + read + ", not " + line);
            }
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(origins);
        }
    }
}

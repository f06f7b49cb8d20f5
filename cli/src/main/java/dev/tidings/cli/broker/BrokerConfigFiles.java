package dev.tidings.cli.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text of the single-node KRaft broker's {@code server.properties} and {@code log4j2.properties}.
 *
 * <p>One node is broker and controller at once, listens on loopback only, and every internal
 * topic (consumer offsets, transaction state, share-group state) has replication factor and
 * min ISR 1, since there is no second replica to wait for.
 */
final class BrokerConfigFiles {

    /** KRaft node id of the only node. */
    static final int NODE_ID = 1;

    private BrokerConfigFiles() {
    }

    static Map<String, String> serverProperties(int port, int controllerPort, Path dataDir) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // A local cluster has one member per group: no reason to wait for more to join.
        props.put("group.initial.rebalance.delay.ms", "0");
        // The log cleaner holds its key map on the heap for as long as it runs: Kafka's default of 128 MiB is a
        // quarter of this broker's heap, and it keeps the old generation near G1's marking threshold. 16 MiB maps
        // about 600,000 keys per cleaning pass; a larger dirty section takes more passes.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return props;
    }

    static String render(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + escape(entry.getValue()))
                .collect(Collectors.joining("\n", "# Written by tidings up; rewritten on every start.\n", "\n"));
    }

    /** log4j2 configuration: WARN and above, appended to one file. */
    static String log4j2Properties(Path logFile) {
        return String.join("\n",
                "# Written by tidings up; rewritten on every start.",
                "status = error",
                "appender.file.type = File",
                "appender.file.name = FILE",
                "appender.file.append = true",
                "appender.file.fileName = " + escape(logFile.toAbsolutePath().toString()),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = warn",
                "rootLogger.appenderRef.file.ref = FILE",
                "");
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}

package dev.tidings.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class BrokerConfigFilesTest {

    @Test
    void configuresOneCombinedNodeOnLoopbackWithEveryReplicationFactorAndMinIsrAtOne() throws Exception {
        Map<String, String> props = BrokerConfigFiles.serverProperties(9092, 40123, Path.of("/tmp/kafka-data"));

        assertThat(props).contains(
                entry("process.roles", "broker,controller"),
                entry("node.id", "1"),
                entry("controller.quorum.voters", "1@127.0.0.1:40123"),
                entry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:40123"),
                entry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092"),
                entry("controller.listener.names", "CONTROLLER"),
                entry("log.dirs", "/tmp/kafka-data"),
                entry("offsets.topic.replication.factor", "1"),
                entry("transaction.state.log.replication.factor", "1"),
                entry("transaction.state.log.min.isr", "1"),
                entry("share.coordinator.state.topic.replication.factor", "1"),
                entry("share.coordinator.state.topic.min.isr", "1"),
                entry("default.replication.factor", "1"),
                entry("min.insync.replicas", "1"));
        assertThat(props.keySet().stream().filter(key -> key.contains("replication.factor") || key.contains("isr")))
                .allSatisfy(key -> assertThat(props.get(key)).as(key).isEqualTo("1"));

        Properties parsed = new Properties();
        parsed.load(new StringReader(BrokerConfigFiles.render(props)));
        assertThat(parsed).containsAllEntriesOf(props);
    }

    @Test
    void keepsTheLogCleanersKeyMapASmallShareOfTheBrokersDefaultHeap() {
        Map<String, String> props = BrokerConfigFiles.serverProperties(9092, 40123, Path.of("/tmp/kafka-data"));
        Matcher maxHeap = Pattern.compile("-Xmx(\\d+)m").matcher(LocalKafkaBroker.DEFAULT_JVM_OPTIONS);
        assertThat(maxHeap.find()).as("-Xmx in %s", LocalKafkaBroker.DEFAULT_JVM_OPTIONS).isTrue();
        long heapBytes = Long.parseLong(maxHeap.group(1)) * 1024 * 1024;

        long keyMapBytes = Long.parseLong(props.get("log.cleaner.dedupe.buffer.size"));

        assertThat(keyMapBytes).isEqualTo(16L * 1024 * 1024).isLessThanOrEqualTo(heapBytes / 16);
    }

    @Test
    void logsWarningsAndAboveToTheGivenFile() throws Exception {
        Properties log4j2 = new Properties();
        log4j2.load(new StringReader(BrokerConfigFiles.log4j2Properties(Path.of("/tmp/logs/kafka.log"))));

        assertThat(log4j2).contains(entry("rootLogger.level", "warn"), entry("appender.file.type", "File"),
                entry("appender.file.fileName", "/tmp/logs/kafka.log"), entry("rootLogger.appenderRef.file.ref", "FILE"));
    }
}

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

import dev.tidings.schema.Topics;

/**
 * Sets the notification topic's {@code message.timestamp.type} on a running broker: {@code CreateTime} (the
 * producer's send, Kafka's default) or {@code LogAppendTime} (the broker's append). The gateways time each record
 * from its timestamp, so switching it moves where their {@code routed} and {@code written} stages start.
 * Run by {@code hop.sh} as a single-file program with the bench jar (which carries kafka-clients and the schema module) on the classpath:
 * {@code java -cp tidings-bench.jar TopicTimestampType.java BOOTSTRAP TYPE}.
 */
public final class TopicTimestampType {

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !List.of("CreateTime", "LogAppendTime").contains(args[1])) {
            System.err.println("usage: TopicTimestampType BOOTSTRAP CreateTime|LogAppendTime");
            System.exit(2);
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.NOTIFICATIONS);
            AlterConfigOp set = new AlterConfigOp(new ConfigEntry("message.timestamp.type", args[1]),
                    AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(set))).all().get();
            String now = admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get("message.timestamp.type").value();
            if (!now.equals(args[1])) {
                throw new IllegalStateException("message.timestamp.type is " + now + " after setting " + args[1]);
            }
        }
    }
}

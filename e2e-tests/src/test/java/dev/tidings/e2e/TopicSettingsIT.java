package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The topics the services create carry their own {@code min.insync.replicas} (derived from the
 * replication factor unless set), rather than whatever the broker's default is, and the
 * dead-letter topic is compacted by origin.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TopicSettingsIT {

    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void theNotificationsAndDeadLetterTopicsAreCreatedWithTheirOwnMinInsyncReplicas() throws Exception {
        Map<String, Config> configs = describe(cluster.topic(), cluster.topic() + ".dlq");

        for (Config config : configs.values()) {
            ConfigEntry minIsr = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            assertThat(minIsr.source()).as("set on the topic itself, not the broker default")
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(minIsr.value()).as("replication factor 1 here: at least 1").isEqualTo("1");
        }
    }

    @Test
    void theDeadLetterTopicIsCompactedAndStillAgesOut() throws Exception {
        Config dlq = describe(cluster.topic() + ".dlq").values().iterator().next();

        assertThat(dlq.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact,delete");
    }

    private static Map<String, Config> describe(String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerExtension.bootstrapServers()))) {
            List<ConfigResource> resources = java.util.Arrays.stream(topics)
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<ConfigResource, Config> found = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            Map<String, Config> byTopic = new java.util.HashMap<>();
            found.forEach((resource, config) -> byTopic.put(resource.name(), config));
            return byTopic;
        }
    }
}

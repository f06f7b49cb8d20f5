package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicLayoutTest {

    @Test
    void minInsyncReplicasLeftAtZeroIsOneLessThanTheReplicationFactorAndAtLeastOne() {
        assertThat(TopicLayout.of("t", 6, (short) 3, (short) 0).minInsyncReplicas()).isEqualTo((short) 2);
        assertThat(TopicLayout.of("t", 6, (short) 1, (short) 0).minInsyncReplicas()).isEqualTo((short) 1);
        assertThat(TopicLayout.of("t", 6, (short) 3, (short) 3).minInsyncReplicas()).isEqualTo((short) 3);
    }

    @Test
    void theDeadLetterTopicHasTheSameLayoutAndIsCompactedAndDeleted() {
        TopicLayout layout = TopicLayout.of(Topics.NOTIFICATIONS, 12, (short) 3, (short) 0);

        NewTopic notifications = layout.notifications();
        NewTopic deadLetters = layout.deadLetters();

        assertThat(notifications.name()).isEqualTo(Topics.NOTIFICATIONS);
        assertThat(deadLetters.name()).isEqualTo(Topics.DEAD_LETTERS).isEqualTo("tidings.notifications.dlq");
        for (NewTopic topic : new NewTopic[] {notifications, deadLetters}) {
            assertThat(topic.numPartitions()).isEqualTo(12);
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
        }
        assertThat(notifications.configs()).doesNotContainKey("cleanup.policy");
        assertThat(deadLetters.configs()).containsEntry("cleanup.policy", "compact,delete");
    }

    @Test
    void anotherTopicOfTheServiceHasTheSameLayoutWithItsOwnConfigsOnTop() {
        NewTopic idempotency = TopicLayout.of(Topics.NOTIFICATIONS, 12, (short) 3, (short) 0)
                .newTopic("keys", java.util.Map.of("retention.ms", "60000"));

        assertThat(idempotency.name()).isEqualTo("keys");
        assertThat(idempotency.numPartitions()).isEqualTo(12);
        assertThat(idempotency.replicationFactor()).isEqualTo((short) 3);
        assertThat(idempotency.configs()).containsEntry("min.insync.replicas", "2")
                .containsEntry("retention.ms", "60000");
    }

    @Test
    void aLayoutThatCannotBeCreatedIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> TopicLayout.of("t", 0, (short) 1, (short) 0));
        assertThatIllegalArgumentException().isThrownBy(() -> TopicLayout.of("t", 1, (short) 1, (short) 2));
    }
}

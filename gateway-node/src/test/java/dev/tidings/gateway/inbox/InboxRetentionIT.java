package dev.tidings.gateway.inbox;

import static dev.tidings.gateway.inbox.InboxCluster.ids;
import static dev.tidings.gateway.inbox.InboxCluster.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.schema.Address;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention of the inbox with a real broker, on a gateway whose retention is seconds long: items and the
 * read marks that cover them age out of the stores, and the marks out of the read-state topic too.
 */
@ExtendWith(KafkaBrokerExtension.class)
class InboxRetentionIT {

    private static final Duration RETENTION = Duration.ofSeconds(15);

    @TempDir
    static Path state;
    private static InboxCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InboxCluster(state, 1, Map.of("tidings.inbox.retention", RETENTION.toSeconds() + "s",
                "tidings.inbox.sweep-interval", "1s"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void readMarksOfItemsPastRetentionAreDroppedFromTheStoreAndTombstonedOnTheReadTopic() {
        String user = "ria-" + UUID.randomUUID().toString().substring(0, 8);
        String token = cluster.token(user);
        cluster.inbox(0, token, ""); // the inbox answers: what is published now is stored well within retention
        String first = cluster.publish(user(user), "first", Instant.now(), null);
        String second = cluster.publish(user(user), "second", Instant.now(), null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, ""))).contains(first, second));

        assertThat(cluster.post(0, "/api/v1/inbox/read", token, "{\"ids\":[\"" + first + "\"]}").statusCode())
                .isEqualTo(200);
        assertThat(cluster.post(0, "/api/v1/inbox/read", token, "{\"all\":true}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(marksOf(user)).hasSize(2));

        await().atMost(RETENTION.multipliedBy(4)).untilAsserted(() -> {
            assertThat(ids(cluster.inbox(0, token, ""))).isEmpty();
            assertThat(marksOf(user)).isEmpty();
            String userKey = Address.user(user).routingKey();
            assertThat(tombstonesOf(user)).contains(userKey + "\u0000i:" + first, userKey + "\u0000all");
        });
    }

    /** The user's entries in this gateway's marks store, as keys of the read-state topic. */
    private static List<String> marksOf(String user) {
        InboxStreams streams = cluster.context(0).getBean(InboxStreams.class);
        String userKey = Address.user(user).routingKey();
        int partition = streams.local().owner(userKey).partition();
        byte[] prefix = InboxKeys.prefix(userKey);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> marks = streams.streams()
                .store(StoreQueryParameters.fromNameAndType(InboxTopology.MARKS,
                        QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(partition))
                .range(Bytes.wrap(prefix), InboxKeys.upperBound(prefix))) {
            marks.forEachRemaining((KeyValue<Bytes, byte[]> entry) -> keys.add(ReadMarks.recordKeyOf(entry.key)));
        }
        return keys;
    }

    private static List<String> tombstonesOf(String user) {
        String userKey = Address.user(user).routingKey();
        return TopicContents.readToEnd(cluster.topic + ".inbox-reads", new StringDeserializer(), new StringDeserializer())
                .stream().filter(record -> record.value() == null && record.key().startsWith(userKey + "\u0000"))
                .map(ConsumerRecord::key).toList();
    }
}

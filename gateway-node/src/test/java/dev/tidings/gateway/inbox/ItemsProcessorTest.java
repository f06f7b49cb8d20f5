package dev.tidings.gateway.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The inbox's appends, on the real topology and RocksDB stores: each notification stored once per address,
 * whichever path decides it (the count's newest position, or reading the stores), erasures and max-items kept.
 */
class ItemsProcessorTest {

    private static final String TOPIC = "notifications";
    private static final String READS = "notifications-reads";
    private static final String USER = "user:al";
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(1));

    @TempDir
    java.nio.file.Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, Notification> notifications;
    private TestInputTopic<String, String> reads;

    private void start(int maxItems) {
        InboxProperties properties = new InboxProperties(true, Duration.ofDays(30), maxItems, 50, 200, 500, "", "", "",
                "", 1, Duration.ofSeconds(5), DataSize.ofMegabytes(16), Duration.ofMinutes(10));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "items-processor-test");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(InboxTopology.build(TOPIC, READS, properties, new FrameEncoder()), config);
        notifications = driver.createInputTopic(TOPIC, new StringSerializer(), new NotificationSerializer());
        reads = driver.createInputTopic(READS, new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void appendsInOrderAreStoredOnceEachAndARedeliveryChangesNothing() {
        start(500);

        notifications.pipeInput(USER, notification("n-1", 1));
        notifications.pipeInput(USER, notification("n-2", 2));
        notifications.pipeInput(USER, notification("n-3", 3));
        notifications.pipeInput(USER, notification("n-2", 2));
        notifications.pipeInput(USER, notification("n-3", 3));

        assertThat(storedIds(USER)).containsExactly("n-1", "n-2", "n-3");
        assertThat(count(USER).count()).isEqualTo(3);
        assertThat(count(USER).newest()).isEqualTo(position("n-3", 3));
    }

    @Test
    void aNotificationPublishedBeforeTheNewestIsStoredOnceAndTheNewestStays() {
        start(500);

        notifications.pipeInput(USER, notification("n-3", 3));
        notifications.pipeInput(USER, notification("n-1", 1));
        notifications.pipeInput(USER, notification("n-1", 1));
        notifications.pipeInput(USER, notification("n-2", 2));

        assertThat(storedIds(USER)).containsExactly("n-1", "n-2", "n-3");
        assertThat(count(USER).count()).isEqualTo(3);
        assertThat(count(USER).newest()).isEqualTo(position("n-3", 3));
    }

    @Test
    void afterAnErasureOnlyWhatWasPublishedAfterItIsStored() {
        start(500);
        notifications.pipeInput(USER, notification("n-1", 1));

        reads.pipeInput(USER + '\u0000' + ReadMarks.ERASE, Long.toString(T0.plusSeconds(10).toEpochMilli()));
        notifications.pipeInput(USER, notification("n-2", 5));
        notifications.pipeInput(USER, notification("n-3", 15));
        notifications.pipeInput(USER, notification("n-4", 9));

        assertThat(storedIds(USER)).containsExactly("n-3");
        assertThat(count(USER).count()).isEqualTo(1);
    }

    @Test
    void aCountWrittenWithoutItsNewestStillKeepsEachNotificationOnce() {
        start(500);
        KeyValueStore<Bytes, byte[]> items = driver.getKeyValueStore(InboxTopology.ITEMS);
        items.put(InboxKeys.item(USER, position("n-2", 2)), StoredItem.encode(-1, "{\"id\":\"n-2\"}".getBytes()));
        driver.<Bytes, byte[]>getKeyValueStore(InboxTopology.COUNTS)
                .put(Bytes.wrap(InboxKeys.prefix(USER)), AddressCount.of(1, null).encode());

        notifications.pipeInput(USER, notification("n-2", 2));
        notifications.pipeInput(USER, notification("n-1", 1));
        notifications.pipeInput(USER, notification("n-3", 3));
        notifications.pipeInput(USER, notification("n-3", 3));

        assertThat(storedIds(USER)).containsExactly("n-1", "n-2", "n-3");
        assertThat(count(USER).count()).isEqualTo(3);
    }

    @Test
    void itemsRestoredAheadOfTheirCountAreNotStoredOrCountedAgain() {
        start(500);
        // As after a crash: the items' changelog holds n-2 and n-3, the counts' changelog only n-1's count,
        // written by the processor that ran before the crash.
        KeyValueStore<Bytes, byte[]> items = driver.getKeyValueStore(InboxTopology.ITEMS);
        for (String id : List.of("n-1", "n-2", "n-3")) {
            int second = Integer.parseInt(id.substring(2));
            items.put(InboxKeys.item(USER, position(id, second)), StoredItem.encode(-1, "{}".getBytes()));
        }
        driver.<Bytes, byte[]>getKeyValueStore(InboxTopology.COUNTS).put(Bytes.wrap(InboxKeys.prefix(USER)),
                new AddressCount(1, null, position("n-1", 1), 42).encode());

        notifications.pipeInput(USER, notification("n-2", 2));
        notifications.pipeInput(USER, notification("n-3", 3));
        notifications.pipeInput(USER, notification("n-4", 4));

        assertThat(storedIds(USER)).containsExactly("n-1", "n-2", "n-3", "n-4");
        assertThat(count(USER).count()).as("n-1's count, then n-4").isEqualTo(2);
        assertThat(count(USER).newest()).isEqualTo(position("n-4", 4));
    }

    @Test
    void anAddressKeepsItsNewestMaxItems() {
        start(3);

        for (int k = 1; k <= 6; k++) {
            notifications.pipeInput(USER, notification("n-" + k, k));
        }
        notifications.pipeInput(USER, notification("n-6", 6));

        assertThat(storedIds(USER)).containsExactly("n-4", "n-5", "n-6");
        assertThat(count(USER).count()).isEqualTo(3);
    }

    @Test
    void aCountReadsBackWithAndWithoutItsPositions() {
        byte[] oldest = position("n-1", 1);
        byte[] newest = position("n-9", 9);

        AddressCount full = AddressCount.decode(new AddressCount(42, oldest, newest, 7).encode());
        AddressCount earlier = AddressCount.decode(InboxKeys.concat(InboxKeys.longBytes(5), oldest));

        assertThat(full.count()).isEqualTo(42);
        assertThat(full.oldest()).isEqualTo(oldest);
        assertThat(full.newest()).isEqualTo(newest);
        assertThat(full.isAfterNewest(position("n-10", 10), 7)).isTrue();
        assertThat(full.isAfterNewest(position("n-10", 10), 8)).as("another writer's newest").isFalse();
        assertThat(full.isAfterNewest(newest, 7)).isFalse();
        assertThat(earlier.count()).isEqualTo(5);
        assertThat(earlier.oldest()).isEqualTo(oldest);
        assertThat(earlier.isAfterNewest(position("n-10", 10), 0)).isFalse();
        assertThat(AddressCount.decode(AddressCount.of(7, null).encode()).oldest()).isNull();
    }

    @Test
    void aCountRewrittenByAGatewayOfThePreviousVersionReadsWithoutItsPositions() {
        // The previous version read this version's count of 3 as a count with its top bit set, and the rest as
        // the oldest position; appending a notification published before that, it wrote the count plus one
        // and the notification's position.
        byte[] rewritten = InboxKeys.concat(InboxKeys.longBytes(Long.MIN_VALUE | 4), position("n-0", 0));

        AddressCount read = AddressCount.decode(rewritten);

        assertThat(read.count()).isEqualTo(4);
        assertThat(read.oldest()).isNull();
        assertThat(read.newest()).isNull();
    }

    private AddressCount count(String address) {
        byte[] value = driver.<Bytes, byte[]>getKeyValueStore(InboxTopology.COUNTS).get(Bytes.wrap(InboxKeys.prefix(address)));
        assertThat(value).as("the count of " + address).isNotNull();
        return AddressCount.decode(value);
    }

    private List<String> storedIds(String address) {
        byte[] prefix = InboxKeys.prefix(address);
        List<String> ids = new ArrayList<>();
        KeyValueStore<Bytes, byte[]> items = driver.getKeyValueStore(InboxTopology.ITEMS);
        try (KeyValueIterator<Bytes, byte[]> range = items.range(Bytes.wrap(prefix), InboxKeys.upperBound(prefix))) {
            range.forEachRemaining(entry -> ids.add(StoredItem.decodeUnframed(InboxKeys.positionOf(entry.key),
                    entry.value).id()));
        }
        return ids;
    }

    private static byte[] position(String id, int second) {
        return InboxKeys.position(T0.plusSeconds(second).toEpochMilli(), id);
    }

    private static Notification notification(String id, int second) {
        return Notification.newBuilder()
                .setId(id)
                .setEvent("test")
                .setTarget(new Target(TargetType.USER, List.of("al")))
                .setPayload("{}")
                .setPublishedAt(T0.plusSeconds(second))
                .setSource("test")
                .build();
    }
}

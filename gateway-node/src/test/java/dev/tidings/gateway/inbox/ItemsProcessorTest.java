package dev.tidings.gateway.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

        append(1, 2, 3, 2, 3);

        assertStored(1, 2, 3);
        assertThat(count(USER).newest()).isEqualTo(position(3));
    }

    @Test
    void aNotificationPublishedBeforeTheNewestIsStoredOnceAndTheNewestStays() {
        start(500);

        append(3, 1, 1, 2);

        assertStored(1, 2, 3);
        assertThat(count(USER).newest()).isEqualTo(position(3));
    }

    @Test
    void afterAnErasureOnlyWhatWasPublishedAfterItIsStored() {
        start(500);
        append(1);

        reads.pipeInput(USER + '\u0000' + ReadMarks.ERASE, Long.toString(T0.plusSeconds(10).toEpochMilli()));
        append(5, 15, 9);

        assertStored(15);
    }

    @Test
    void aCountWrittenWithoutItsNewestStillKeepsEachNotificationOnce() {
        start(500);
        storeItems(2);
        driver.<Bytes, byte[]>getKeyValueStore(InboxTopology.COUNTS)
                .put(Bytes.wrap(InboxKeys.prefix(USER)), AddressCount.of(1, null).encode());

        append(2, 1, 3, 3);

        assertStored(1, 2, 3);
    }

    @Test
    void itemsRestoredAheadOfTheirCountAreNotStoredOrCountedAgain() {
        start(500);
        // As after a crash: the items' changelog holds n-2 and n-3, the counts' changelog only n-1's count,
        // written by the processor that ran before the crash.
        storeItems(1, 2, 3);
        driver.<Bytes, byte[]>getKeyValueStore(InboxTopology.COUNTS).put(Bytes.wrap(InboxKeys.prefix(USER)),
                new AddressCount(1, null, position(1), 42).encode());

        append(2, 3, 4);

        assertThat(storedIds(USER)).containsExactly("n-1", "n-2", "n-3", "n-4");
        assertThat(count(USER).count()).as("n-1's count, then n-4").isEqualTo(2);
        assertThat(count(USER).newest()).isEqualTo(position(4));
    }

    @Test
    void anAddressKeepsItsNewestMaxItems() {
        start(3);

        append(1, 2, 3, 4, 5, 6, 6);

        assertStored(4, 5, 6);
    }

    @Test
    void aCountReadsBackWithAndWithoutItsPositions() {
        byte[] oldest = position(1);
        byte[] newest = position(9);

        AddressCount full = AddressCount.decode(new AddressCount(42, oldest, newest, 7).encode());
        AddressCount earlier = AddressCount.decode(InboxKeys.concat(InboxKeys.longBytes(5), oldest));

        assertThat(full.count()).isEqualTo(42);
        assertThat(full.oldest()).isEqualTo(oldest);
        assertThat(full.newest()).isEqualTo(newest);
        assertThat(full.newestKeptBy(7)).isEqualTo(newest);
        assertThat(full.newestKeptBy(8)).as("another writer's newest").isNull();
        assertThat(earlier.count()).isEqualTo(5);
        assertThat(earlier.oldest()).isEqualTo(oldest);
        assertThat(earlier.newestKeptBy(0)).as("a count without its newest").isNull();
        assertThat(AddressCount.decode(AddressCount.of(7, null).encode()).oldest()).isNull();
    }

    @Test
    void aCountRewrittenByAGatewayOfThePreviousVersionReadsWithoutItsPositions() {
        // The previous version read this version's count of 3 as a count with its top bit set, and the rest as
        // the oldest position; appending a notification published before that, it wrote the count plus one
        // and the notification's position.
        byte[] rewritten = InboxKeys.concat(InboxKeys.longBytes(Long.MIN_VALUE | 4), position(0));

        AddressCount read = AddressCount.decode(rewritten);

        assertThat(read.count()).isEqualTo(4);
        assertThat(read.oldest()).isNull();
        assertThat(read.newest()).isNull();
    }

    private AddressCount count(String address) {
        KeyValueStore<Bytes, byte[]> counts = driver.getKeyValueStore(InboxTopology.COUNTS);
        byte[] value = counts.get(Bytes.wrap(InboxKeys.prefix(address)));
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

    /** Appends, in this order, the notifications {@code n-<second>} published at each of these seconds. */
    private void append(int... seconds) {
        for (int second : seconds) {
            notifications.pipeInput(USER, notification("n-" + second, second));
        }
    }

    /** Puts items straight into the store, as a restore from the changelog does. */
    private void storeItems(int... seconds) {
        KeyValueStore<Bytes, byte[]> items = driver.getKeyValueStore(InboxTopology.ITEMS);
        for (int second : seconds) {
            items.put(InboxKeys.item(USER, position(second)), StoredItem.encode(-1, "{}".getBytes()));
        }
    }

    private void assertStored(int... seconds) {
        String[] ids = Arrays.stream(seconds).mapToObj(second -> "n-" + second).toArray(String[]::new);
        assertThat(storedIds(USER)).containsExactly(ids);
        assertThat(count(USER).count()).as("the count").isEqualTo(seconds.length);
    }

    private static byte[] position(int second) {
        return InboxKeys.position(T0.plusSeconds(second).toEpochMilli(), "n-" + second);
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

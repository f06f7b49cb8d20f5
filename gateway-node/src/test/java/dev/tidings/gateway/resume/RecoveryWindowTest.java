package dev.tidings.gateway.resume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tidings.common.auth.Principal;
import dev.tidings.schema.Address;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import org.junit.jupiter.api.Test;

/** The window a resume is served from: what it finds for a client, what it evicts, and reading while it is written. */
class RecoveryWindowTest {

    static final long[] EVERYTHING = {Long.MAX_VALUE};
    static final long[] FROM_START = {0};

    final Principal alice = new Principal("alice", Set.of("Class:201901", "Club:chess"), Set.of(),
            Instant.now().plusSeconds(3600));

    @Test
    void aResumeFindsWhatWasAddressedToTheUserHerGroupsAndEveryoneAndNothingElse() {
        RecoveryWindow window = new RecoveryWindow(1 << 20, Duration.ofMinutes(5));
        window.reset(new long[] {0});
        append(window, user("alice"), 0);
        append(window, user("bob"), 1);
        append(window, group("Class:201901"), 2);
        append(window, group("Class:201902"), 3);
        append(window, new Target(TargetType.BROADCAST, List.of()), 4);
        append(window, group("Class:201901", "Club:chess"), 5); // two of her groups: found once
        append(window, group("Club:go", "Club:chess"), 6);

        assertThat(offsets(window.addressedTo(alice, FROM_START, EVERYTHING))).containsExactlyInAnyOrder(0L, 2L, 4L, 5L,
                6L);
        assertThat(offsets(window.addressedTo(alice, new long[] {2}, new long[] {5}))).as("only the range asked")
                .containsExactlyInAnyOrder(2L, 4L);
    }

    @Test
    void theOldestRecordsAreEvictedFirstOnceTheByteBoundIsPassedAndTheWindowNoLongerCoversThem() {
        int frameBytes = 100;
        RecoveryWindow window = holding(10, frameBytes);
        for (long offset = 0; offset < 25; offset++) {
            append(window, user("alice"), offset, System.currentTimeMillis(), frameBytes);
        }

        assertThat(window.size()).isEqualTo(10);
        assertThat(window.covers(0, 15)).isTrue();
        assertThat(window.covers(0, 14)).as("offset 14 was evicted").isFalse();
        assertThat(offsets(window.addressedTo(alice, FROM_START, EVERYTHING))).containsExactly(15L, 16L, 17L, 18L, 19L,
                20L, 21L, 22L, 23L, 24L);
    }

    @Test
    void recordsOlderThanTheAgeBoundAreEvictedWhenANewOneArrives() {
        RecoveryWindow window = new RecoveryWindow(1 << 20, Duration.ofSeconds(60));
        window.reset(new long[] {0});
        long t0 = 1_000_000;
        append(window, user("alice"), 0, t0, 10);
        append(window, user("alice"), 1, t0 + 30_000, 10);
        append(window, user("alice"), 2, t0 + 75_000, 10);

        assertThat(offsets(window.addressedTo(alice, FROM_START, EVERYTHING))).containsExactly(1L, 2L);
        assertThat(window.covers(0, 0)).isFalse();
        assertThat(window.covers(0, 1)).isTrue();
    }

    @Test
    void aTargetsLogKeepsItsRecordsInOrderAcrossGrowthEvictionAndBeingEmptied() {
        int frameBytes = 10;
        RecoveryWindow window = holding(100, frameBytes);
        long offset = 0;
        for (int i = 0; i < 1000; i++) { // alice's log grows, is evicted from the front, is copied when full
            append(window, user(i % 3 == 0 ? "alice" : "bob"), offset++, System.currentTimeMillis(), frameBytes);
        }
        List<Long> hers = offsets(window.addressedTo(alice, FROM_START, EVERYTHING));
        assertThat(hers).hasSize(34).isSorted().allMatch(o -> o % 3 == 0 && o >= 900);

        for (int i = 0; i < 100; i++) { // every record of alice's is evicted, so her log is dropped
            append(window, user("bob"), offset++, System.currentTimeMillis(), frameBytes);
        }
        assertThat(window.addressedTo(alice, FROM_START, EVERYTHING)).isEmpty();

        append(window, user("alice"), offset, System.currentTimeMillis(), frameBytes);
        assertThat(offsets(window.addressedTo(alice, FROM_START, EVERYTHING))).containsExactly(offset);
    }

    @Test
    void aReaderWhileTheConsumerAppendsAndEvictsSeesOnlyRecordsOfItsTargetsInOrderPerTarget() throws Exception {
        int frameBytes = 50;
        RecoveryWindow window = holding(500, frameBytes);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> reads = CompletableFuture.supplyAsync(() -> {
            int checks = 0;
            while (writing.get() || checks == 0) {
                List<Long> found = offsets(window.addressedTo(alice, FROM_START, EVERYTHING));
                assertThat(found).allMatch(o -> o % 4 == 0 || o % 4 == 1);
                assertThat(found.stream().filter(o -> o % 4 == 0).toList()).as("her own").isSorted();
                assertThat(found.stream().filter(o -> o % 4 == 1).toList()).as("her club's").isSorted();
                checks++;
            }
            return checks;
        });
        for (long offset = 0; offset < 200_000; offset++) {
            Target target = switch ((int) (offset % 4)) {
                case 0 -> user("alice");
                case 1 -> group("Club:chess");
                case 2 -> user("bob");
                default -> group("Club:go");
            };
            append(window, target, offset, System.currentTimeMillis(), frameBytes);
        }
        writing.set(false);

        assertThat(reads.get()).isPositive();
        List<Long> last = offsets(window.addressedTo(alice, FROM_START, EVERYTHING));
        assertThat(last).hasSize(250).allMatch(o -> o >= 199_500);
    }

    /** A window of one partition from offset 0 whose byte bound holds {@code records} frames of {@code frameBytes}. */
    @Test
    void aRecordToManyUsersCostsTheWindowItsIndexNotJustItsFrame() {
        int frameBytes = 100;
        RecoveryWindow window = new RecoveryWindow(600_000, Duration.ofMinutes(5));
        window.reset(new long[] {0});
        List<String> thousands = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            thousands.add("user-" + i);
        }
        append(window, user("alice"), 0, System.currentTimeMillis(), frameBytes);

        append(window, new Target(TargetType.USER, thousands), 1, System.currentTimeMillis(), frameBytes);

        assertThat(window.bytes()).as("the record's references in 10,000 logs are counted")
                .isGreaterThanOrEqualTo(frameBytes + 9_999 * RecoveryWindow.PER_ID_BYTES);
        assertThat(window.covers(0, 0)).isTrue();

        append(window, new Target(TargetType.USER, thousands), 2, System.currentTimeMillis(), frameBytes);

        assertThat(window.covers(0, 1)).as("a second such record does not fit beside the first: it was evicted")
                .isFalse();
        assertThat(window.bytes()).isLessThanOrEqualTo(600_000);
    }

    @Test
    void aResetChangesTheEpochSoAResumeThatReadMeanwhileFallsBackToKafka() {
        RecoveryWindow window = new RecoveryWindow(1 << 20, Duration.ofMinutes(5));
        window.reset(new long[] {0});
        append(window, user("alice"), 0);
        int before = window.epoch();

        window.reset(new long[] {0}); // a rebalance gave the partition back at an older committed offset

        assertThat(window.covers(0, 0)).as("a reset window still claims offset 0 on").isTrue();
        assertThat(window.epoch()).as("but a reader that saw the old epoch knows it was cleared").isNotEqualTo(before);
    }

    private static RecoveryWindow holding(int records, int frameBytes) {
        RecoveryWindow window = new RecoveryWindow(records * (frameBytes + RecoveryWindow.OVERHEAD_BYTES),
                Duration.ofMinutes(5));
        window.reset(new long[] {0});
        return window;
    }

    private static void append(RecoveryWindow window, Target target, long offset) {
        append(window, target, offset, System.currentTimeMillis(), 10);
    }

    private static void append(RecoveryWindow window, Target target, long offset, long timestampMs, int frameBytes) {
        byte[] frame = "x".repeat(frameBytes).getBytes(StandardCharsets.UTF_8);
        window.append(Address.of(target), new RecoveryWindow.Entry(0, offset, timestampMs, timestampMs, Long.MAX_VALUE, frame));
    }

    /** The entries' offsets, in the order the window gave them. */
    private static List<Long> offsets(List<RecoveryWindow.Entry> entries) {
        List<Long> offsets = new ArrayList<>();
        for (RecoveryWindow.Entry e : entries) {
            offsets.add(e.offset());
        }
        return offsets;
    }

    private static Target user(String id) {
        return new Target(TargetType.USER, List.of(id));
    }

    private static Target group(String... ids) {
        return new Target(TargetType.GROUP, List.of(ids));
    }
}

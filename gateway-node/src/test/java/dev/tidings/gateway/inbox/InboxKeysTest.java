package dev.tidings.gateway.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class InboxKeysTest {

    @Test
    void positionsOrderByPublicationTimeThenIdAndACursorNamesItsPositionExactly() {
        byte[] older = InboxKeys.position(1_000, "z");
        byte[] newer = InboxKeys.position(2_000, "a");
        byte[] sameTimeLaterId = InboxKeys.position(2_000, "b");

        assertThat(Arrays.compareUnsigned(older, newer)).isNegative();
        assertThat(Arrays.compareUnsigned(newer, sameTimeLaterId)).isNegative();
        assertThat(InboxKeys.positionOfCursor(InboxKeys.cursor(newer))).isEqualTo(newer);
        assertThat(InboxKeys.positionOfCursor(null)).isNull();
        assertThatThrownBy(() -> InboxKeys.positionOfCursor("AA")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAddresssItemsAreOneRangeThatNoOtherAddressShares() {
        byte[] prefix = InboxKeys.prefix("user:al");
        Bytes own = InboxKeys.item("user:al", InboxKeys.position(5, "n"));
        List<Bytes> others = List.of(InboxKeys.item("user:alice", InboxKeys.position(5, "n")),
                InboxKeys.item("user:ak", InboxKeys.position(Long.MAX_VALUE, "n")),
                InboxKeys.item("group:al", InboxKeys.position(5, "n")));

        assertThat(inRange(own, prefix)).isTrue();
        assertThat(others).noneMatch(key -> inRange(key, prefix));
        assertThat(InboxKeys.positionOf(own)).isEqualTo(InboxKeys.position(5, "n"));
    }

    @Test
    void anItemKnowsItsIdTimeAndWhetherItIsStillListed() {
        StoredItem item = StoredItem.decode(InboxKeys.position(10_000, "n-1"),
                StoredItem.encode(20_000, "{\"type\":\"notification\"}".getBytes()));

        assertThat(item.id()).isEqualTo("n-1");
        assertThat(item.publishedAt()).isEqualTo(10_000);
        assertThat(item.listedAt(15_000, 0)).isTrue();
        assertThat(item.listedAt(20_000, 0)).as("expired").isFalse();
        assertThat(item.listedAt(15_000, 10_001)).as("past retention").isFalse();
        assertThat(new String(item.json(true))).isEqualTo("{\"type\":\"notification\",\"read\":true}");
    }

    private static boolean inRange(Bytes key, byte[] prefix) {
        return key.compareTo(Bytes.wrap(prefix)) >= 0 && key.compareTo(InboxKeys.upperBound(prefix)) <= 0;
    }
}

package dev.tidings.gateway.resume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What "most recent" means when a resume past {@code max-replay} keeps only some notifications. */
class MostRecentFirstTest {

    @Test
    void notificationsAreOrderedByWhenTheyWerePublishedNotWhenTheNodeRoutedThem() {
        long routedTogether = 1_000_000;
        // Published one after the other on two partitions, routed by the node in the same poll.
        RecoveryWindow.Entry first = entry(0, 7, 100, routedTogether);
        RecoveryWindow.Entry second = entry(1, 2, 101, routedTogether);
        RecoveryWindow.Entry third = entry(0, 8, 102, routedTogether);
        List<RecoveryWindow.Entry> entries = new ArrayList<>(List.of(second, third, first));

        entries.sort(ResumeService.MOST_RECENT_FIRST);

        assertThat(entries).containsExactly(third, second, first);
    }

    @Test
    void withinOneMillisecondALaterOffsetIsMoreRecent() {
        RecoveryWindow.Entry earlier = entry(3, 10, 500, 900);
        RecoveryWindow.Entry later = entry(3, 11, 500, 900);
        List<RecoveryWindow.Entry> entries = new ArrayList<>(List.of(earlier, later));

        entries.sort(ResumeService.MOST_RECENT_FIRST);

        assertThat(entries).containsExactly(later, earlier);
    }

    private static RecoveryWindow.Entry entry(int partition, long offset, long publishedAtMs, long dispatchedAtMs) {
        return new RecoveryWindow.Entry(partition, offset, publishedAtMs, dispatchedAtMs, Long.MAX_VALUE, new byte[0]);
    }
}

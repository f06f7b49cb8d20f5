package dev.tidings.bench.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntSetTest {

    @Test
    void addsEachValueOnceAcrossManyGrowths() {
        IntSet set = new IntSet();
        for (int v = 0; v < 10_000; v++) {
            assertThat(set.add(v * 7)).isTrue();
        }
        for (int v = 0; v < 10_000; v++) {
            assertThat(set.add(v * 7)).as("second add of %d", v * 7).isFalse();
        }
        assertThat(set.size()).isEqualTo(10_000);
    }

    @Test
    void visitsEveryValueOnceWhenIterated() {
        IntSet set = new IntSet();
        for (int v = 0; v < 1000; v++) {
            set.add(v);
        }
        long[] sum = {0};
        int[] count = {0};

        set.forEach(v -> {
            sum[0] += v;
            count[0]++;
        });

        assertThat(count[0]).isEqualTo(1000);
        assertThat(sum[0]).isEqualTo(999 * 1000 / 2);
    }
}

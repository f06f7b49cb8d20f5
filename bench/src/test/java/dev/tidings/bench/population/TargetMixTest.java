package dev.tidings.bench.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class TargetMixTest {

    @Test
    void readsUserGroupAndBroadcastWeightsInThatOrder() {
        TargetMix mix = TargetMix.parse(" 80 : 19:1");

        assertThat(mix).isEqualTo(new TargetMix(80, 19, 1));
        assertThat(mix).hasToString("80:19:1");
    }

    @Test
    void drawsOnlyKindsWithAWeight() {
        TargetMix onlyGroups = TargetMix.parse("0:1:0");
        SplittableRandom random = new SplittableRandom(1);

        for (int i = 0; i < 100; i++) {
            assertThat(onlyGroups.draw(random)).isEqualTo(Scenario.GROUP);
        }
    }

    @Test
    void refusesAMixThatIsNotThreeNonNegativeWeights() {
        assertThatThrownBy(() -> TargetMix.parse("80:20")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TargetMix.parse("a:b:c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TargetMix.parse("1:-1:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TargetMix.parse("0:0:0")).isInstanceOf(IllegalArgumentException.class);
    }
}

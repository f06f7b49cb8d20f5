package dev.tidings.bench.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PopulationTest {

    @Test
    void splitsTenThousandClientsIntoAThousandGroupsOfTen() {
        Population population = new Population(10_000, 10, 2);

        assertThat(population.groups()).isEqualTo(1000);
        for (int g = 0; g < population.groups(); g++) {
            assertThat(population.groupSize(g)).as("size of group %d", g).isEqualTo(10);
        }
    }

    @Test
    void givesEveryGroupMembersOnEveryGateway() {
        Population population = new Population(10_000, 10, 2);
        Map<Integer, Set<Integer>> gatewaysOfGroup = new HashMap<>();

        for (int i = 0; i < population.clients(); i++) {
            gatewaysOfGroup.computeIfAbsent(population.groupOf(i), g -> new HashSet<>()).add(population.gatewayOf(i));
        }

        assertThat(gatewaysOfGroup).hasSize(1000).allSatisfy((group, gateways) ->
                assertThat(gateways).as("gateways of group %d", group).containsExactlyInAnyOrder(0, 1));
    }

    @Test
    void roundsUpTheGroupCountWhenClientsDoNotDivideEvenly() {
        Population population = new Population(25, 10, 2);

        assertThat(population.groups()).isEqualTo(3);
        int members = 0;
        for (int g = 0; g < 3; g++) {
            members += population.groupSize(g);
        }
        assertThat(members).isEqualTo(25);
    }
}

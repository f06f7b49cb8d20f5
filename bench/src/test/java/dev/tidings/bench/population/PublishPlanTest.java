package dev.tidings.bench.population;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublishPlanTest {

    private final Population population = new Population(100, 10, 2);

    @Test
    void addressesABroadcastToEveryClient() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 5, 1);

        assertThat(plan.recipients(3)).isEqualTo(100);
        assertThat(plan.addresses(3, 0)).isTrue();
        assertThat(plan.addresses(3, 99)).isTrue();
        assertThat(plan.targetJson(3)).isEqualTo("{\"type\":\"broadcast\"}");
        assertThat(plan.routingKey(3)).isEqualTo("broadcast");
    }

    @Test
    void addressesAUserNoticeToThatUserAlone() {
        PublishPlan plan = new PublishPlan(Scenario.USER, population, 50, 7);
        int user = plan.target(10);

        assertThat(plan.recipients(10)).isEqualTo(1);
        assertThat(plan.addresses(10, user)).isTrue();
        assertThat(plan.addresses(10, (user + 1) % 100)).isFalse();
        assertThat(plan.targetJson(10)).isEqualTo("{\"type\":\"user\",\"ids\":[\"u" + user + "\"]}");
        assertThat(plan.routingKey(10)).isEqualTo("user:u" + user);
    }

    @Test
    void addressesAGroupNoticeToItsMembersOnly() {
        PublishPlan plan = new PublishPlan(Scenario.GROUP, population, 50, 7);
        int group = plan.target(4);

        assertThat(plan.recipients(4)).isEqualTo(10);
        for (int client = 0; client < 100; client++) {
            assertThat(plan.addresses(4, client)).as("client %d", client)
                    .isEqualTo(population.groupOf(client) == group);
        }
        assertThat(plan.routingKey(4)).isEqualTo("group:g" + group);
    }

    @Test
    void drawsTheSameTargetsFromTheSameSeed() {
        PublishPlan a = new PublishPlan(Scenario.USER, population, 200, 42);
        PublishPlan b = new PublishPlan(Scenario.USER, population, 200, 42);

        for (int s = 0; s < 200; s++) {
            assertThat(a.target(s)).isEqualTo(b.target(s));
        }
    }
}

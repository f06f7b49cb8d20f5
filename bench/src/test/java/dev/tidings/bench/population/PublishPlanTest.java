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

    @Test
    void drawsEveryKindOfAMixInAboutItsShare() {
        PublishPlan plan = PublishPlan.mixed(population, 10_000, 42, TargetMix.parse("80:19:1"));
        int[] counts = new int[Scenario.values().length];

        for (int s = 0; s < plan.total(); s++) {
            counts[plan.kind(s).ordinal()]++;
        }

        assertThat(counts[Scenario.USER.ordinal()]).isBetween(7700, 8300);
        assertThat(counts[Scenario.GROUP.ordinal()]).isBetween(1700, 2100);
        assertThat(counts[Scenario.BROADCAST.ordinal()]).isBetween(50, 150);
    }

    @Test
    void addressesEachNoticeOfAMixAsItsOwnKind() {
        PublishPlan plan = PublishPlan.mixed(population, 500, 7, TargetMix.parse("1:1:1"));

        for (int s = 0; s < plan.total(); s++) {
            int target = plan.target(s);
            switch (plan.kind(s)) {
                case BROADCAST -> {
                    assertThat(plan.recipients(s)).isEqualTo(100);
                    assertThat(plan.targetJson(s)).isEqualTo("{\"type\":\"broadcast\"}");
                }
                case USER -> {
                    assertThat(plan.recipients(s)).isEqualTo(1);
                    assertThat(plan.addresses(s, target)).isTrue();
                    assertThat(plan.addresses(s, (target + 1) % 100)).isFalse();
                    assertThat(plan.routingKey(s)).isEqualTo("user:u" + target);
                }
                case GROUP -> {
                    assertThat(plan.recipients(s)).isEqualTo(10);
                    assertThat(plan.addresses(s, target * 10)).isTrue();
                    assertThat(plan.addresses(s, (target * 10 + 10) % 100)).isFalse();
                    assertThat(plan.targetJson(s)).isEqualTo("{\"type\":\"group\",\"ids\":[\"g" + target + "\"]}");
                }
            }
        }
    }

    @Test
    void drawsTheSameMixFromTheSameSeed() {
        PublishPlan a = PublishPlan.mixed(population, 300, 42, TargetMix.parse("80:19:1"));
        PublishPlan b = PublishPlan.mixed(population, 300, 42, TargetMix.parse("80:19:1"));

        for (int s = 0; s < 300; s++) {
            assertThat(a.kind(s)).isEqualTo(b.kind(s));
            assertThat(a.target(s)).isEqualTo(b.target(s));
        }
    }

    @Test
    void keepsTheTargetsOfAOneKindPlanAsBeforeMixesExisted() {
        PublishPlan plan = new PublishPlan(Scenario.USER, population, 3, 42);
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);

        for (int s = 0; s < 3; s++) {
            assertThat(plan.kind(s)).isEqualTo(Scenario.USER);
            assertThat(plan.target(s)).isEqualTo(random.nextInt(100));
        }
    }
}

package dev.tidings.bench.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.tidings.bench.population.Population;
import dev.tidings.bench.population.PublishPlan;
import dev.tidings.bench.population.Scenario;
import dev.tidings.bench.population.TargetMix;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    private final Population population = new Population(20, 10, 2);

    @Test
    void countsEveryOwedBroadcastDeliveryAsDeliveredWithNoLoss() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 3, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        for (int s = 0; s < 3; s++) {
            ledger.accepted(s);
            for (int c = 0; c < 20; c++) {
                ledger.delivered(c, s, 1000, 1);
            }
        }

        LedgerSummary summary = ledger.summary();

        assertThat(summary.expected()).isEqualTo(60);
        assertThat(summary.delivered()).isEqualTo(60);
        assertThat(summary.lost()).isZero();
        assertThat(summary.lossPercent()).isEqualTo(0.0);
        assertThat(summary.duplicates()).isZero();
        assertThat(summary.misrouted()).isZero();
    }

    @Test
    void countsACatchUpDeliveryAsDeliveredButKeepsItsLatencyApartFromTheLiveOnes() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 2, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        ledger.accepted(0);
        ledger.accepted(1);
        for (int c = 0; c < 20; c++) {
            ledger.delivered(c, 1, 3_000, 1);
        }
        for (int c = 0; c < 20; c++) {
            ledger.caughtUp(c, 0, 900_000, 2);
        }
        ledger.caughtUp(0, 0, 950_000, 3); // a second copy after a resume: a duplicate, not a catch-up

        LedgerSummary summary = ledger.summary();

        assertThat(summary.lost()).isZero();
        assertThat(summary.delivered()).isEqualTo(40);
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.latencyMicros().getTotalCount()).isEqualTo(20);
        assertThat(summary.latencyMicros().getMaxValue()).isLessThan(3_100);
        assertThat(summary.catchUpMicros().getTotalCount()).isEqualTo(20);
        assertThat(summary.catchUpMicros().getMaxValue()).isGreaterThanOrEqualTo(899_000);
        assertThat(ledger.slowestDeliveryMicros()).as("the slowest live delivery per notice").containsExactly(0, 3_000);
    }

    @Test
    void remembersEachNoticesSlowestDeliveryAndNothingForOneNobodyGot() {
        DeliveryLedger ledger = new DeliveryLedger(new PublishPlan(Scenario.BROADCAST, population, 3, 1));
        ledger.delivered(0, 0, 700, 1);
        ledger.delivered(1, 0, 90_000, 1);
        ledger.delivered(2, 0, 1_500, 1);
        ledger.delivered(0, 1, 2_000, 1);
        ledger.delivered(0, 1, 50_000, 1); // a duplicate: not a delivery, not a latency

        assertThat(ledger.slowestDeliveryMicros()).containsExactly(90_000, 2_000, 0);
    }

    @Test
    void splitsTheLatencyAtThePublishersAcceptanceOncePerNoticeForTheIngressAndPerDeliveryForTheRest() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 3, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        for (int s = 0; s < 3; s++) {
            ledger.accepted(s);
        }
        for (int c = 0; c < 20; c++) {
            ledger.delivered(c, 0, 9_000 + c * 1_000, 4_000, 1); // accepted 4 ms after the publish call
            ledger.delivered(c, 1, 2_000, DeliveryLedger.UNKNOWN, 1); // a frame without publishedAt
        }
        ledger.delivered(0, 2, 1_500, 2_000, 1); // publishedAt's milliseconds put acceptance past receipt
        ledger.delivered(0, 0, 90_000, 80_000, 1); // a duplicate: neither part counts

        LedgerSummary summary = ledger.summary();

        assertThat(summary.ingressMicros().getTotalCount()).as("notices 0 and 2, once each").isEqualTo(2);
        assertThat(summary.ingressMicros().getMaxValue()).isCloseTo(4_000L, withinPercentage(0.1));
        assertThat(summary.sinceAcceptedMicros().getTotalCount()).as("21 deliveries with an acceptance").isEqualTo(21);
        assertThat(summary.sinceAcceptedMicros().getMinValue()).isZero();
        assertThat(summary.sinceAcceptedMicros().getMaxValue()).isCloseTo(24_000L, withinPercentage(0.1));
        assertThat(summary.latencyMicros().getTotalCount()).as("every delivery").isEqualTo(41);
        assertThat(LedgerSummary.millis(summary.ingressMicros())).containsEntry("count", 2L).containsKey("p99");
        assertThat(LedgerSummary.millis(new DeliveryLedger(plan).summary().ingressMicros())).isEmpty();
    }

    @Test
    void countsRecipientsThatNeverGotANoticeAsLost() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 2, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        ledger.accepted(0);
        ledger.accepted(1);
        for (int c = 0; c < 15; c++) {
            ledger.delivered(c, 0, 1000, 1);
        }

        LedgerSummary summary = ledger.summary();

        assertThat(summary.expected()).isEqualTo(40);
        assertThat(summary.delivered()).isEqualTo(15);
        assertThat(summary.lost()).isEqualTo(25);
        assertThat(summary.messagesWithLoss()).isEqualTo(2);
        assertThat(summary.lossPercent()).isEqualTo(62.5);
    }

    @Test
    void flagsASecondCopyOfTheSameNoticeToTheSameClientAsDuplicate() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 1, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        ledger.accepted(0);

        ledger.delivered(4, 0, 1000, 1);
        ledger.delivered(4, 0, 1000, 2);
        ledger.delivered(5, 0, 1000, 3);

        LedgerSummary summary = ledger.summary();
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.delivered()).as("first copies only").isEqualTo(2);
    }

    @Test
    void countsAUserNoticeReceivedByAnotherUserAsMisroutedAndNotAsDelivered() {
        PublishPlan plan = new PublishPlan(Scenario.USER, population, 1, 3);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        ledger.accepted(0);
        int addressee = plan.target(0);
        int stranger = (addressee + 1) % 20;

        ledger.delivered(stranger, 0, 1000, 1);

        LedgerSummary summary = ledger.summary();
        assertThat(summary.misrouted()).isEqualTo(1);
        assertThat(summary.delivered()).isZero();
        assertThat(summary.lost()).isEqualTo(1);
    }

    @Test
    void countsAGroupNoticeReceivedByANonMemberAsMisrouted() {
        PublishPlan plan = new PublishPlan(Scenario.GROUP, population, 1, 3);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        ledger.accepted(0);
        int group = plan.target(0);
        int outsider = group == 0 ? 15 : 5; // clients 0-9 are g0, 10-19 are g1

        ledger.delivered(outsider, 0, 1000, 1);

        assertThat(population.groupOf(outsider)).isNotEqualTo(group);
        assertThat(ledger.summary().misrouted()).isEqualTo(1);
    }

    @Test
    void owesNothingForANoticeWhosePublishFailedAndCountsItsDeliveriesAsExtra() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 2, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        ledger.accepted(0);
        ledger.failed(1);
        ledger.delivered(0, 1, 1000, 1);

        LedgerSummary summary = ledger.summary();

        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.expected()).isEqualTo(20);
        assertThat(summary.extra()).isEqualTo(1);
    }

    @Test
    void countsFramesOutsideThePlanAsForeign() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 2, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);

        ledger.delivered(0, 99, 1000, 1);
        ledger.foreign();

        assertThat(ledger.summary().foreign()).isEqualTo(2);
    }

    @Test
    void countsALaterNoticeArrivingBeforeAnEarlierOneAsReorderedButDelivered() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 3, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);

        ledger.delivered(0, 2, 1000, 1);
        ledger.delivered(0, 1, 1000, 2);

        LedgerSummary summary = ledger.summary();
        assertThat(summary.reordered()).isEqualTo(1);
        assertThat(summary.duplicates()).isZero();
    }

    @Test
    void reportsLatencyPercentilesInMillisecondsFromRecordedMicroseconds() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, new Population(100, 10, 2), 1, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        ledger.accepted(0);
        for (int c = 0; c < 100; c++) {
            ledger.delivered(c, 0, (c + 1) * 1000L, c); // 1 ms .. 100 ms
        }

        LedgerSummary summary = ledger.summary();

        assertThat(summary.latencyMillis(50)).isCloseTo(50.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(summary.latencyMillis(99)).isCloseTo(99.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(summary.maxLatencyMillis()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(ledger.lastDeliveryNanos()).isEqualTo(99);
    }

    @Test
    void reportsNoLatencyWhenNothingWasDelivered() {
        DeliveryLedger ledger = new DeliveryLedger(new PublishPlan(Scenario.BROADCAST, population, 1, 1));

        assertThat(ledger.summary().latencyMillis(50)).isNull();
        assertThat(ledger.summary().lossPercent()).as("nothing accepted, nothing owed").isNull();
    }

    @Test
    void judgesAClientOverItsSuccessiveConnectionsWithTheReplayedOverlapAsDuplicates() {
        PublishPlan plan = PublishPlan.mixed(population, 40, 5, TargetMix.parse("1:1:1"));
        DeliveryLedger ledger = new DeliveryLedger(plan);
        int client = 3;
        java.util.List<Integer> owed = new java.util.ArrayList<>();
        for (int s = 0; s < 40; s++) {
            ledger.accepted(s);
            if (plan.addresses(s, client)) {
                owed.add(s);
            }
        }
        int half = owed.size() / 2;
        // The victim's connection delivers the first half live; the survivor replays from one notice
        // before the client's last cursor (a copy it had), then the rest, live.
        for (int k = 0; k < half; k++) {
            ledger.delivered(client, owed.get(k), 1000, k);
        }
        for (int k = half - 1; k < owed.size(); k++) {
            ledger.delivered(client, owed.get(k), 1000, k);
        }

        LedgerSummary summary = ledger.summary();
        long owedToOthers = summary.expected() - owed.size();
        assertThat(summary.lost()).as("only the other clients' notices, never delivered here").isEqualTo(owedToOthers);
        assertThat(summary.delivered()).isEqualTo(owed.size());
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.misrouted()).isZero();
    }

    @Test
    void countsANoticeNeitherConnectionOfAClientDeliveredAsLost() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, new Population(1, 10, 1), 5, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        for (int s = 0; s < 5; s++) {
            ledger.accepted(s);
        }

        ledger.delivered(0, 0, 1000, 1); // first connection
        ledger.delivered(0, 1, 1000, 2);
        ledger.delivered(0, 3, 1000, 3); // second connection: the resume skipped seq 2
        ledger.delivered(0, 4, 1000, 4);

        LedgerSummary summary = ledger.summary();
        assertThat(summary.lost()).isEqualTo(1);
        assertThat(summary.messagesWithLoss()).isEqualTo(1);
        assertThat(summary.duplicates()).isZero();
    }

    @Test
    void owesNothingForPlannedNoticesThatWereNeverSent() {
        PublishPlan plan = new PublishPlan(Scenario.BROADCAST, population, 10, 1);
        DeliveryLedger ledger = new DeliveryLedger(plan);
        ledger.accepted(0);
        for (int c = 0; c < 20; c++) {
            ledger.delivered(c, 0, 1000, 1);
        }

        LedgerSummary summary = ledger.summary();
        assertThat(summary.expected()).isEqualTo(20);
        assertThat(summary.lost()).isZero();
    }
}

package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The node's bytes waiting in connections, as the event loops' sweeps report them, against its budget. */
class OutboundBudgetTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final OutboundBudget budget = new OutboundBudget(1000, meters);
    final AtomicInteger handOffs = new AtomicInteger();

    @Test
    void theBudgetAddsUpWhatEachSweepReportsItsLoopHolds() {
        budget.report(600, 0);
        budget.report(500, 0);

        assertThat(budget.held()).isEqualTo(1100);
        assertThat(budget.excess()).isEqualTo(100);
        assertThat(meters.get("tidings.gateway.outbound.bytes").gauge().value()).isEqualTo(1100);

        budget.report(-500, 0);

        assertThat(budget.excess()).as("within the budget").isEqualTo(-400);
    }

    @Test
    void stalledBytesCountAgainstTheBudgetButNeverHoldTheConsumer() {
        budget.report(1500, 800);

        assertThat(budget.excess()).as("the sweeps cut stalled sessions for these").isEqualTo(500);
        assertThat(budget.readersOverBudget()).as("700 bytes of clients still reading").isFalse();
        budget.awaitRoom(handOffs::incrementAndGet);
        assertThat(handOffs).hasValue(0);
        assertThat(meters.counter("tidings.gateway.outbound.pauses").count()).isZero();
    }

    @Test
    void overTheBudgetTheConsumerHandsOffWhatItGatheredAndWaitsUntilItsClientsRead() throws Exception {
        budget.report(1500, 0);

        Thread consumer = new Thread(() -> budget.awaitRoom(handOffs::incrementAndGet));
        consumer.setDaemon(true);
        consumer.start();
        consumer.join(200);

        assertThat(consumer.isAlive()).as("waiting for the clients").isTrue();
        assertThat(handOffs).as("handed off before waiting").hasValue(1);
        budget.report(-1000, 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.isAlive());
        assertThat(handOffs).hasValue(1);
        assertThat(meters.counter("tidings.gateway.outbound.pauses").count()).isEqualTo(1);
    }
}

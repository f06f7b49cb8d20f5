package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The deliveries the event loops have yet to run, bounded. */
class DispatchBacklogTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final DispatchBacklog backlog = new DispatchBacklog(2, meters);
    final AtomicInteger handOffs = new AtomicInteger();

    @Test
    void withRoomADeliveryIsTakenAtOnceAndCounted() {
        backlog.acquire(handOffs::incrementAndGet);
        backlog.acquire(handOffs::incrementAndGet);

        assertThat(handOffs).hasValue(0);
        assertThat(meters.get("tidings.gateway.dispatch.backlog").gauge().value()).isEqualTo(2);

        backlog.release(2);

        assertThat(meters.get("tidings.gateway.dispatch.backlog").gauge().value()).isZero();
    }

    @Test
    void withoutRoomTheConsumerHandsOffFirstThenWaitsForALoopToRunADelivery() throws Exception {
        backlog.acquire(handOffs::incrementAndGet);
        backlog.acquire(handOffs::incrementAndGet);

        Thread consumer = new Thread(() -> backlog.acquire(handOffs::incrementAndGet));
        consumer.setDaemon(true);
        consumer.start();
        consumer.join(200);

        assertThat(consumer.isAlive()).isTrue();
        assertThat(handOffs).hasValue(1);
        backlog.release(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.isAlive());
        assertThat(meters.get("tidings.gateway.dispatch.backlog").gauge().value()).isEqualTo(2);
    }
}

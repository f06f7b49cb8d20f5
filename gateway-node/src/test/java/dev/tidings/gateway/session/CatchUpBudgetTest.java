package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import dev.tidings.common.auth.Principal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The node's replayed bytes in flight, and the resumes that wait their turn for room. */
class CatchUpBudgetTest {

    static final int PAGE = CatchUpPump.PAGE_BYTES;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final CatchUpBudget budget = new CatchUpBudget(2L * PAGE, meters);

    @Test
    void aResumeThatFindsTheBudgetSpentWaitsOnceHoweverOftenItAsks() {
        ClientSession first = session("alice");
        ClientSession second = session("bob");

        assertThat(budget.tryAcquire(first, 2 * PAGE)).isTrue();
        assertThat(budget.tryAcquire(second, 100)).isFalse();
        assertThat(budget.tryAcquire(second, 100)).isFalse();

        assertThat(budget.waiting()).isEqualTo(1);
        assertThat(meters.get("tidings.gateway.resume.waiting").gauge().value()).isEqualTo(1);
        assertThat(meters.get("tidings.gateway.resume.buffer.bytes").gauge().value()).isEqualTo(2.0 * PAGE);
    }

    @Test
    void bytesGivenBackWakeAsManyWaitingResumesAsTheyCanServe() {
        budget.tryAcquire(session("alice"), 2 * PAGE);
        for (String user : new String[] {"bob", "carol", "dave"}) {
            assertThat(budget.tryAcquire(session(user), PAGE / 2)).isFalse();
        }

        budget.release(PAGE / 2);

        assertThat(budget.waiting()).as("room for one of them").isEqualTo(2);

        budget.release(PAGE + PAGE / 2);

        assertThat(budget.waiting()).isZero();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aFrameLargerThanTheWholeBudgetPassesWhenNothingElseIsOut() {
        assertThat(budget.tryAcquire(session("alice"), 10 * PAGE)).isTrue();
        assertThat(budget.tryAcquire(session("bob"), 1)).isFalse();
    }

    private static ClientSession session(String user) {
        return NodeSessions.lone(new EmbeddedChannel(),
                new Principal(user, Set.of(), Set.of(), Instant.now().plusSeconds(3600)), status -> { });
    }
}

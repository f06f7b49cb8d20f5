package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A client sends {@code resume} frames on its open session, again and again, while notifications
 * addressed to it flow live: records routed but not yet written to the session when a resume takes
 * the node's position are the case that matters. Every notification must arrive exactly once, and
 * every resume say {@code recovered:true}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ResumeUnderLiveTrafficIT {

    private static final Duration TRAFFIC = Duration.ofSeconds(8);

    @Test
    void resumesOnAnOpenSessionDuringLiveTrafficLoseNothingAndDuplicateNothing() throws Exception {
        resumeAgainAndAgainDuringTraffic(cluster -> { }, true);
    }

    /**
     * The node's consumer rejoins its group again and again during the same traffic: the recovery
     * window is reset on each assignment, so a resume meets a window that no longer holds what it
     * read a moment before, and records routed just before the revocation are still in flight to the
     * session.
     */
    @Test
    void resumesDuringRebalancesOfTheNodesConsumerLoseNothingAndDuplicateNothing() throws Exception {
        resumeAgainAndAgainDuringTraffic(cluster -> cluster.rebalanceGateway(0), false);
    }

    /**
     * Resumes on an open session, one after the other for {@link #TRAFFIC}, while notifications flow to
     * it; {@code disturb} runs before every third resume.
     */
    private void resumeAgainAndAgainDuringTraffic(java.util.function.Consumer<LocalCluster> disturb,
            boolean everyResumeRecovers) throws Exception {
        ExecutorService traffic = Executors.newSingleThreadExecutor();
        AtomicBoolean flowing = new AtomicBoolean(true);
        List<String> published = new CopyOnWriteArrayList<>();
        try (LocalCluster cluster = new LocalCluster(1, Map.of("tidings.gateway.max-resumes-per-minute", 100_000));
                DirectProducer producer = new DirectProducer(cluster.topic());
                WsTestClient alice = WsTestClient.connect("alice", cluster.gatewayPort(0), cluster.token("alice"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !alice.frames("welcome").isEmpty()
                    && alice.frames("welcome").get(0).hasNonNull("cursor"));
            Future<?> publishing = traffic.submit(() -> {
                while (flowing.get()) {
                    published.addAll(producer.toUser("alice", 20, 64));
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> !alice.notificationIds().isEmpty());

            int resumes = 0;
            long until = System.nanoTime() + TRAFFIC.toNanos();
            while (System.nanoTime() < until) {
                if (resumes % 3 == 0) {
                    disturb.accept(cluster);
                }
                String cursor = alice.lastCursor();
                alice.send("{\"type\":\"resume\",\"cursor\":\"" + cursor + "\"}");
                int expected = ++resumes;
                await().atMost(Duration.ofSeconds(10)).until(() -> alice.frames("resumed").size() >= expected);
            }
            flowing.set(false);
            publishing.get();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alice.notificationIds())
                    .as("every notification published to alice").containsAll(published));
            List<Boolean> recovered = new ArrayList<>();
            for (JsonNode resumed : alice.frames("resumed")) {
                recovered.add(resumed.get("recovered").asBoolean());
            }
            assertThat(resumes).as("resumes sent during the traffic").isGreaterThan(10);
            if (everyResumeRecovers) {
                assertThat(recovered).as("every resume's outcome").containsOnly(true);
            }
            assertThat(alice.frames("error")).as("errors").isEmpty();
            assertThat(alice.notificationIds()).as("%d notifications over %d resumes, each once", published.size(),
                    resumes).doesNotHaveDuplicates().hasSameSizeAs(published);
        }
        finally {
            flowing.set(false);
            traffic.shutdownNow();
        }
    }
}

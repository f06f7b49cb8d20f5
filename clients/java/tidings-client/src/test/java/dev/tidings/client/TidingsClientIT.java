package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tidings.schema.Notification;
import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client against the real publisher API on a real broker: what it sends is read back from the
 * topic. Each test publishes as a caller of its own, so that the low rate limit set here (a burst
 * of {@value #BURST} records, refilled at one a second) concerns only the test that drains it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TidingsClientIT {

    static final int BURST = 5;

    static LocalPublisher publisher;

    final JsonMapper json = JsonMapper.builder().build();
    final List<TidingsException> retried = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPublisher() {
        publisher = new LocalPublisher(Map.of(
                "tidings.publisher.rate-limit-per-second", 1,
                "tidings.publisher.rate-limit-burst", BURST));
    }

    @AfterAll
    static void stopPublisher() {
        publisher.close();
    }

    Tidings as(String caller) {
        return client(publisher.token(caller));
    }

    Tidings client(String token, RetryPolicy policy) {
        return Tidings.builder().baseUrl(publisher.url()).token(token).retryPolicy(policy)
                .retryListener((attempt, delay, reason) -> retried.add(reason)).build();
    }

    Tidings client(String token) {
        return client(token, RetryPolicy.DEFAULT);
    }

    record Grade(String course, String grade) {
    }

    @Test
    void aNotificationToAGroupIsAcceptedAndItsRecordIsOnTheTopic() {
        Accepted accepted = as("grades-service").toGroup("Class:201901").event("grade.published")
                .payload(new Grade("math", "A")).ttl(Duration.ofHours(1)).send();

        assertThat(UUID.fromString(accepted.id())).as("an id the client made").isNotNull();
        assertThat(accepted.records()).isEmpty();
        List<ConsumerRecord<String, Notification>> records = publisher.recordsWithId(accepted.id());
        assertThat(records).hasSize(1);
        ConsumerRecord<String, Notification> record = records.get(0);
        assertThat(record.key()).isEqualTo("group:Class:201901");
        assertThat(record.partition()).isEqualTo(accepted.partition());
        assertThat(record.offset()).isEqualTo(accepted.offset());
        assertThat(record.value().getEvent()).isEqualTo("grade.published");
        assertThat(json.readTree(record.value().getPayload())).isEqualTo(json.readTree("{\"course\":\"math\",\"grade\":\"A\"}"));
        assertThat(record.value().getExpiresAt()).isNotNull();
        assertThat(retried).isEmpty();
    }

    @Test
    void aNotificationToSeveralUsersIsOneRecordPerUserEachListed() {
        Accepted accepted = as("messages-service").toUsers("alice", "bob").event("message.received")
                .payloadJson("{\"from\":\"carol\"}").send();

        assertThat(accepted.records()).extracting(Accepted.RecordPosition::key)
                .containsExactlyInAnyOrder("user:alice", "user:bob");
        assertThat(publisher.recordsWithId(accepted.id())).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("user:alice", "user:bob");
    }

    @Test
    void aBroadcastIsOneRecordKeyedBroadcast() {
        Accepted accepted = as("ops-service").broadcast().event("maintenance").payload(Map.of("at", "22:00")).send();

        assertThat(publisher.recordsWithId(accepted.id())).extracting(ConsumerRecord::key).containsExactly("broadcast");
    }

    @Test
    void aBatchWithOneInvalidItemAcceptsTheOtherAndTypesTheProblem() {
        Tidings tidings = as("batch-service");

        BatchResult result = tidings.batch()
                .add(tidings.toUser("alice").event("grade.published").payload(new Grade("math", "B")))
                .add(tidings.toUser("bob").event("not an event!").payloadJson("{}"))
                .send();

        assertThat(result.size()).isEqualTo(2);
        assertThat(result.get(0)).isInstanceOfSatisfying(Accepted.class,
                accepted -> assertThat(accepted.id()).isEqualTo(result.ids().get(0)));
        assertThat(result.get(1)).isInstanceOfSatisfying(TidingsProblem.class, problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.VALIDATION);
            assertThat(problem.status()).isEqualTo(422);
            assertThat(problem.type()).hasToString("https://tidings.dev/problems/invalid-field");
            assertThat(problem.field()).isEqualTo("notifications[1].event");
        });
        assertThat(publisher.recordsWithId(result.ids().get(0))).hasSize(1);
        assertThat(publisher.recordsWithId(result.ids().get(1))).isEmpty();
        assertThat(retried).isEmpty();
    }

    @Test
    void aBadTokenIsAnUnauthorizedProblemAndIsNotRetried() {
        Tidings tidings = client("not-a-jwt");

        assertThatThrownBy(() -> tidings.toUser("alice").event("x").payloadJson("{}").send())
                .isInstanceOfSatisfying(TidingsProblemException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(ProblemKind.UNAUTHORIZED);
                    assertThat(ex.status()).isEqualTo(401);
                    assertThat(ex.problem().type()).hasToString("https://tidings.dev/problems/unauthorized");
                    assertThat(ex.retryable()).isFalse();
                });
        assertThat(retried).isEmpty();
    }

    @Test
    void aTokenWithoutThePublishScopeIsAForbiddenUnauthorizedProblem() {
        Tidings tidings = client(publisher.tokenWithoutScope("reader"));

        assertThatThrownBy(() -> tidings.toUser("alice").event("x").payloadJson("{}").send())
                .isInstanceOfSatisfying(TidingsProblemException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(ProblemKind.UNAUTHORIZED);
                    assertThat(ex.status()).isEqualTo(403);
                });
    }

    @Test
    void anInvalidNotificationIsAValidationProblemNamingTheField() {
        assertThatThrownBy(() -> as("typo-service").toGroup(" ").event("x").payloadJson("{}").send())
                .isInstanceOfSatisfying(TidingsProblemException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(ProblemKind.VALIDATION);
                    assertThat(ex.problem().field()).isEqualTo("target.ids[0]");
                    assertThat(ex.id()).as("the id the client sent").isNotBlank();
                });
        assertThat(retried).isEmpty();
    }

    @Test
    void aRetryAfterA429SucceedsWithTheSameIdAndTheTopicHoldsTheNotificationOnce() {
        String token = publisher.token("busy-service");
        String[] users = { "u1", "u2", "u3", "u4", "u5" };
        // Drains the caller's bucket: BURST records at once.
        client(token, RetryPolicy.NONE).toUsers(users).event("drain").payloadJson("{}").send();

        // Needs BURST records again: refused with 429 until they have refilled, some seconds later.
        Accepted accepted = client(token).toUsers(users).event("after.drain").payloadJson("{\"n\":2}").send();

        assertThat(retried).isNotEmpty().allSatisfy(reason -> {
            assertThat(reason).isInstanceOfSatisfying(TidingsProblemException.class,
                    ex -> assertThat(ex.kind()).isEqualTo(ProblemKind.RATE_LIMITED));
            assertThat(reason.id()).isEqualTo(accepted.id());
        });
        assertThat(publisher.recordsWithId(accepted.id())).hasSize(BURST)
                .extracting(ConsumerRecord::key).doesNotHaveDuplicates();
    }

    @Test
    void aBatchRefusedAsAWholeWithA429IsSentAgainWithTheSameIdsAndWrittenOnce() {
        String token = publisher.token("busy-batch-service");
        client(token, RetryPolicy.NONE).toUsers("u1", "u2", "u3", "u4", "u5").event("drain").payloadJson("{}").send();
        Tidings tidings = client(token);

        BatchResult result = tidings.batch()
                .add(tidings.toUsers("u1", "u2").event("after.drain").payloadJson("{\"n\":1}"))
                .add(tidings.toUser("u3").event("after.drain").payloadJson("{\"n\":2}"))
                .send();

        assertThat(result.allAccepted()).as(result.toString()).isTrue();
        assertThat(retried).isNotEmpty().allSatisfy(reason -> assertThat(reason)
                .isInstanceOfSatisfying(TidingsProblemException.class,
                        ex -> assertThat(ex.kind()).isEqualTo(ProblemKind.RATE_LIMITED)));
        assertThat(publisher.recordsWithId(result.ids().get(0))).hasSize(2);
        assertThat(publisher.recordsWithId(result.ids().get(1))).hasSize(1);
    }

    @Test
    void a429LeftAfterTheRetriesIsARateLimitedProblemWithItsRetryAfter() {
        String token = publisher.token("impatient-service");
        client(token, RetryPolicy.NONE).toUsers("u1", "u2", "u3", "u4", "u5").event("drain").payloadJson("{}").send();

        assertThatThrownBy(() -> client(token, RetryPolicy.NONE).toUser("u1").event("x").payloadJson("{}").send())
                .isInstanceOfSatisfying(TidingsProblemException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(ProblemKind.RATE_LIMITED);
                    assertThat(ex.retryAfter()).isPositive();
                    assertThat(ex.retryable()).isTrue();
                    assertThat(ex.id()).isNotBlank();
                });
    }

    @Test
    void sendingAgainWithTheSameIdWritesOnceAndAnswersTheFirstResult() {
        Tidings tidings = as("idempotent-service");
        String id = "grade-42-" + UUID.randomUUID();

        Accepted first = tidings.toGroup("Class:201901").id(id).event("grade.published").payload(new Grade("math", "A")).send();
        Accepted again = tidings.toGroup("Class:201901").id(id).event("grade.published").payload(new Grade("math", "A")).send();

        assertThat(first.id()).isEqualTo(id);
        assertThat(again).isEqualTo(first);
        assertThat(publisher.recordsWithId(id)).hasSize(1);
    }

    @Test
    void theSameIdForADifferentNotificationIsAConflictNamingIt() {
        Tidings tidings = as("conflicted-service");
        String id = "grade-43-" + UUID.randomUUID();
        tidings.toGroup("Class:201901").id(id).event("grade.published").payload(new Grade("math", "A")).send();

        assertThatThrownBy(() -> tidings.toGroup("Class:201901").id(id).event("grade.published")
                .payload(new Grade("math", "F")).send())
                .isInstanceOfSatisfying(TidingsProblemException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(ProblemKind.CONFLICT);
                    assertThat(ex.id()).isEqualTo(id);
                });
        assertThat(publisher.recordsWithId(id)).hasSize(1);
    }

    @Test
    void aPayloadOverTheLimitIsATooLargeProblem() {
        String blob = "x".repeat(70 * 1024);

        assertThatThrownBy(() -> as("chatty-service").toUser("alice").event("x").payload(Map.of("blob", blob)).send())
                .isInstanceOfSatisfying(TidingsProblemException.class,
                        ex -> assertThat(ex.kind()).isEqualTo(ProblemKind.TOO_LARGE));
    }

    @Test
    void aPublisherThatIsNotListeningIsUnreachableWithTheIdToRetryWith() {
        Tidings tidings = Tidings.builder().baseUrl("http://127.0.0.1:1").token("t")
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(2).withBackoff(Duration.ofMillis(10), Duration.ofMillis(10)))
                .retryListener((attempt, delay, reason) -> retried.add(reason)).build();

        assertThatThrownBy(() -> tidings.toUser("alice").id("mine-1").event("x").payloadJson("{}").send())
                .isInstanceOfSatisfying(TidingsUnreachableException.class, ex -> assertThat(ex.id()).isEqualTo("mine-1"));
        assertThat(retried).hasSize(1);
    }
}

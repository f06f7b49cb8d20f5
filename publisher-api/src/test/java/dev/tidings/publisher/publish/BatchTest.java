package dev.tidings.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.config.TestProperties;
import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/** One typed result per batch item, in request order: accepted with what Kafka acknowledged, or rejected. */
class BatchTest {

    /** The producer's defaults (max.block.ms 60 s, delivery.timeout.ms 120 s) fit within this send timeout. */
    final PublisherProperties properties = TestProperties.publisher("max-payload-bytes", "64", "send-timeout", "180s");
    final JsonMapper json = JsonMapper.builder().build();
    final NotificationValidator validator = new NotificationValidator(properties, json);
    final MockProducer<String, Notification> kafka = new MockProducer<>(true, null, new StringSerializer(),
            new NotificationSerializer()) {
        @Override
        public void close(Duration timeout) {
            // The template closes its producer after every send; this one is the test's to keep.
        }
    };
    final NotificationPublisher publisher = new NotificationPublisher(
            new KafkaTemplate<>(new MockProducerFactory<>(() -> kafka)), properties, new SimpleMeterRegistry());
    final Principal caller = new Principal("svc", Set.of(), Set.of(Principal.SCOPE_PUBLISH),
            Instant.now().plusSeconds(60));

    @AfterEach
    void close() {
        publisher.destroy();
    }

    @Test
    void aBatchItemPastTheLimitIsRejectedWithItsOwnProblemAndTheOthersAreWritten() {
        List<BatchItem> results = publish(item("e", "{}"), item("e", "{\"blob\":\"" + "x".repeat(100) + "\"}"),
                item("e", "{\"n\":3}"));

        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isInstanceOf(BatchItem.Accepted.class);
        assertThat(problem(results.get(1)).getStatus()).isEqualTo(413);
        assertThat(problem(results.get(1)).getDetail()).contains("tidings.publisher.max-payload-bytes");
        assertThat(results.get(2)).isInstanceOf(BatchItem.Accepted.class);
        assertThat(kafka.history()).as("records written").hasSize(2);
    }

    @Test
    void anInvalidItemIsRejectedNamingItsFieldWithTheItemsIndex() {
        List<BatchItem> results = publish(item("e", "{}"), item(null, "{}"), null);

        assertThat(results.get(0)).isInstanceOf(BatchItem.Accepted.class);
        assertThat(problem(results.get(1)).getStatus()).isEqualTo(422);
        assertThat(problem(results.get(1)).getProperties()).containsEntry("field", "notifications[1].event");
        assertThat(problem(results.get(2)).getProperties()).containsEntry("field", "notifications[2]");
    }

    @Test
    void anAcceptedItemCarriesWhereKafkaWroteEachOfItsRecords() {
        PublishRequest twoUsers = new PublishRequest("both", new PublishRequest.TargetRequest("user",
                List.of("alice", "bob")), "e", json.readTree("{}"), null);

        BatchItem.Accepted accepted = (BatchItem.Accepted) publish(twoUsers).get(0);

        assertThat(accepted.result().id()).isEqualTo("both");
        assertThat(accepted.result().records()).extracting(PublishResult.RecordPosition::key)
                .containsExactly("user:alice", "user:bob");
    }

    @Test
    void anItemKafkaRefusesIsRejectedWithTheIdToRetryItWith() {
        kafka.sendException = new KafkaException("broker gone");

        List<BatchItem> results = publish(item("e", "{}"));

        ProblemDetail refused = problem(results.get(0));
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getProperties()).containsKey("id").containsEntry("retryAfterSeconds", 5L);
        assertThat(refused.getDetail()).contains("retry with \"id\":\"" + refused.getProperties().get("id") + "\"");
    }

    @Test
    void aBatchCostsTheRecordsOfItsValidItemsAndClaimsKeysOnlyForCallerGivenIds() {
        PublishRequest threeUsers = new PublishRequest(null, new PublishRequest.TargetRequest("user",
                List.of("a", "b", "c")), "e", json.readTree("{}"), null);

        Batch batch = Batch.validate(Arrays.asList(threeUsers, item("e", "{}"), item(null, "{}")), validator);

        assertThat(batch.records()).isEqualTo(4);
        assertThat(batch.claims()).isFalse();
        assertThat(Batch.validate(List.of(new PublishRequest("mine", threeUsers.target(), "e", json.readTree("{}"),
                null)), validator).claims()).isTrue();
    }

    @Test
    void eachItemIsWrittenAsItsResultOrItsProblemAndNothingElse() {
        BatchItem accepted = new BatchItem.Accepted(new PublishResult("n-1", 3, 42, null));
        BatchItem rejected = BatchItem.rejected(new InvalidFieldException("notifications[1].event", "is required"));

        String written = written(new NotificationController.BatchResponse(List.of(accepted, rejected)));

        assertThat(json.readTree(written)).isEqualTo(json.readTree("""
                {"results":[
                  {"id":"n-1","partition":3,"offset":42},
                  {"type":"https://tidings.dev/problems/invalid-field","title":"Invalid field","status":422,
                   "detail":"notifications[1].event: is required","field":"notifications[1].event"}]}"""));
    }

    private List<BatchItem> publish(@Nullable PublishRequest... items) {
        Batch batch = Batch.validate(new ArrayList<>(Arrays.asList(items)), validator);
        return publisher.withoutBlocking(caller, batch.claims(), () -> batch.publish(publisher, caller))
                .block(Duration.ofSeconds(10));
    }

    private PublishRequest item(@Nullable String event, String payload) {
        return new PublishRequest(null, new PublishRequest.TargetRequest("broadcast", null), event,
                json.readTree(payload), null);
    }

    /** As the application's JSON codec writes a response body. */
    private static String written(Object body) {
        DataBuffer buffer = new JacksonJsonEncoder(JsonMapper.builder()).encodeValue(body,
                DefaultDataBufferFactory.sharedInstance, ResolvableType.forInstance(body), MediaType.APPLICATION_JSON,
                null);
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static ProblemDetail problem(BatchItem item) {
        assertThat(item).isInstanceOf(BatchItem.Rejected.class);
        return ((BatchItem.Rejected) item).problem();
    }
}

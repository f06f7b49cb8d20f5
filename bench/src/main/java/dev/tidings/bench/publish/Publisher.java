package dev.tidings.bench.publish;

import java.util.concurrent.CompletableFuture;

import dev.tidings.bench.population.PublishPlan;

/**
 * Publishes one planned notification; the two ways a product service can: the publisher HTTP
 * API ({@link HttpPublisher}) or a record straight to Kafka ({@link KafkaPublisher}).
 */
public interface Publisher extends AutoCloseable {

    /**
     * Starts publishing notification {@code seq} of the plan with the given payload (a JSON
     * object); the future completes once the notification was acknowledged (HTTP 202, or Kafka's
     * ack), or exceptionally with a {@link PublishException} saying why not.
     */
    CompletableFuture<Void> publish(PublishPlan plan, int seq, String payloadJson);

    /** How this publisher reaches Kafka, for the result line: {@code http} or {@code kafka}. */
    String path();

    @Override
    void close();
}

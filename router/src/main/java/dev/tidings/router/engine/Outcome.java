package dev.tidings.router.engine;

import dev.tidings.router.decode.RouteFailure;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

/** What a route does with one record. */
public sealed interface Outcome {

    /** Routed: these notification records go to the notifications topic (one per target). */
    record Routed(List<ProducerRecord<byte[], byte[]>> notifications) implements Outcome {
    }

    /** Left out by the route's filter. */
    record Filtered() implements Outcome {
    }

    /** Cannot be routed: the record goes to the dead-letter topic. */
    record DeadLettered(RouteFailure failure) implements Outcome {
    }
}

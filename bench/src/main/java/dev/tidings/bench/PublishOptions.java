package dev.tidings.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.tidings.bench.ledger.DeliveryLedger;
import dev.tidings.bench.publish.HttpPublisher;
import dev.tidings.bench.publish.KafkaPublisher;
import dev.tidings.bench.publish.PublishDriver;
import dev.tidings.bench.publish.Publisher;
import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options of the commands that publish a plan and drain its deliveries (payload, publish path,
 * concurrency, drain limits, seed), filled by picocli and then only read.
 */
final class PublishOptions {

    private static final long DRAIN_POLL_MILLIS = 50;

    @Option(names = "--payload-bytes", paramLabel = "B", defaultValue = "100", description = "Payload filler length. Default: ${DEFAULT-VALUE}.")
    int payloadBytes = PublishDriver.DEFAULT_PAD_BYTES;

    @Option(names = "--direct-kafka", paramLabel = "BOOTSTRAP",
            description = "Produce straight to Kafka (Avro serializer, key = routing key) instead of calling the publisher API.")
    @Nullable String directKafka;

    /** Publishes in flight by default through the publisher API: one HTTP request each. */
    static final int API_CONCURRENCY = 64;

    /**
     * Publishes in flight by default straight to Kafka. The producer batches them; each waits for
     * acks=all, a few milliseconds here, so 64 in flight would cap the rate near 20,000/s (Little's law).
     */
    static final int KAFKA_CONCURRENCY = 4096;

    @Option(names = "--publish-concurrency", paramLabel = "C",
            description = "Publishes in flight at once. Default: " + API_CONCURRENCY + " through the publisher API, "
                    + KAFKA_CONCURRENCY + " with --direct-kafka.")
    @Nullable Integer publishConcurrency;

    @Option(names = "--drain-quiet", paramLabel = "SECONDS", defaultValue = "3",
            description = "Stop draining after this long without a delivery. Default: ${DEFAULT-VALUE}.")
    double drainQuietSeconds = 3;

    @Option(names = "--drain-max", paramLabel = "SECONDS", defaultValue = "60",
            description = "Stop draining after this long in any case. Default: ${DEFAULT-VALUE}.")
    double drainMaxSeconds = 60;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the target sequence. Default: ${DEFAULT-VALUE}.")
    long seed = 42;

    /** Whether notifications go through the publisher API (no --direct-kafka), so its process is sampled too. */
    boolean viaPublisherApi() {
        return directKafka == null;
    }

    /** The publish path for the log: the publisher API, or Kafka and its bootstrap servers. */
    String route() {
        return directKafka == null ? "publisher API" : "Kafka " + directKafka;
    }

    /**
     * The publisher to use: a Kafka producer with --direct-kafka, else a client of the publisher
     * API at {@code publisherApi} with a publish-scoped token from {@code issuer}.
     */
    Publisher openPublisher(URI publisherApi, TokenIssuer issuer, Duration tokenTtl) {
        if (directKafka != null) {
            return new KafkaPublisher(directKafka);
        }
        return new HttpPublisher(publisherApi,
                issuer.issue("tidings-bench", List.of(), List.of(Principal.SCOPE_PUBLISH), tokenTtl),
                Duration.ofSeconds(30), concurrency());
    }

    /** A driver that publishes through {@code publisher} with this payload size and concurrency. */
    PublishDriver driver(Publisher publisher, DeliveryLedger ledger, BenchClock clock, String runId) {
        return new PublishDriver(publisher, ledger, clock, runId, payloadBytes, concurrency());
    }

    /** Publishes in flight at once: as given, else the default of the publish path. */
    int concurrency() {
        if (publishConcurrency != null) {
            return publishConcurrency;
        }
        return directKafka == null ? API_CONCURRENCY : KAFKA_CONCURRENCY;
    }

    /**
     * Waits until every delivery expected so far has arrived, or no delivery for --drain-quiet
     * (counting from {@code flushedNanos} at the earliest), or --drain-max in total.
     */
    void drain(DeliveryLedger ledger, long flushedNanos) throws InterruptedException {
        long drainStart = System.nanoTime();
        long expected = ledger.expectedSoFar();
        while (true) {
            long now = System.nanoTime();
            long lastActivity = Math.max(ledger.lastDeliveryNanos(), flushedNanos);
            if (ledger.deliveredSoFar() >= expected || drainTimedOut(now, drainStart, lastActivity)) {
                break;
            }
            Thread.sleep(DRAIN_POLL_MILLIS);
        }
    }

    /** Whether draining gives up: quiet for longer than --drain-quiet, or running longer than --drain-max. */
    boolean drainTimedOut(long nowNanos, long drainStartNanos, long lastActivityNanos) {
        return nowNanos - lastActivityNanos > (long) (drainQuietSeconds * 1e9)
                || nowNanos - drainStartNanos > (long) (drainMaxSeconds * 1e9);
    }
}

package dev.tidings.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidings.bench.ledger.DeliveryLedger;
import dev.tidings.bench.population.Population;
import dev.tidings.bench.population.PublishPlan;
import dev.tidings.bench.population.Scenario;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PublishOptionsTest {

    private static final long S = 1_000_000_000L;

    @Test
    void bothCommandsTakeTheSharedOptionsWithTheSameDefaults() {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs();
        StormCommand storm = new StormCommand();
        new CommandLine(storm).parseArgs("--drain-quiet=1.5", "--direct-kafka=127.0.0.1:9092", "--seed=7");

        assertThat(bench.publish.payloadBytes).isEqualTo(100);
        assertThat(bench.publish.concurrency()).isEqualTo(64);
        assertThat(bench.publish.drainQuietSeconds).isEqualTo(3);
        assertThat(bench.publish.drainMaxSeconds).isEqualTo(60);
        assertThat(bench.publish.seed).isEqualTo(42);
        assertThat(bench.publish.viaPublisherApi()).isTrue();
        assertThat(bench.publish.route()).isEqualTo("publisher API");
        assertThat(storm.publish.drainQuietSeconds).isEqualTo(1.5);
        assertThat(storm.publish.seed).isEqualTo(7);
        assertThat(storm.publish.viaPublisherApi()).isFalse();
        assertThat(storm.publish.route()).isEqualTo("Kafka 127.0.0.1:9092");
    }

    @Test
    void straightToKafkaManyMorePublishesAreInFlightByDefaultThanThroughTheApiAndAGivenNumberWinsOnEither() {
        BenchCommand viaApi = new BenchCommand();
        new CommandLine(viaApi).parseArgs();
        BenchCommand direct = new BenchCommand();
        new CommandLine(direct).parseArgs("--direct-kafka=127.0.0.1:9092");
        BenchCommand given = new BenchCommand();
        new CommandLine(given).parseArgs("--direct-kafka=127.0.0.1:9092", "--publish-concurrency=8");

        assertThat(viaApi.publish.concurrency()).isEqualTo(PublishOptions.API_CONCURRENCY);
        // 64 acks=all sends of ~3 ms each in flight would hold a direct run under ~20,000/s.
        assertThat(direct.publish.concurrency()).isEqualTo(PublishOptions.KAFKA_CONCURRENCY).isGreaterThan(1000);
        assertThat(given.publish.concurrency()).isEqualTo(8);
    }

    @Test
    void stopsDrainingOnlyAfterMoreThanTheQuietTimeWithoutActivityOrMoreThanTheMaximum() {
        PublishOptions options = new PublishOptions();
        options.drainQuietSeconds = 3;
        options.drainMaxSeconds = 60;
        long start = 100 * S;

        assertThat(options.drainTimedOut(start + 3 * S, start, start)).as("exactly quiet").isFalse();
        assertThat(options.drainTimedOut(start + 3 * S + 1, start, start)).as("past quiet").isTrue();
        assertThat(options.drainTimedOut(start + 60 * S, start, start + 59 * S)).as("exactly the maximum").isFalse();
        assertThat(options.drainTimedOut(start + 60 * S + 1, start, start + 59 * S)).as("past the maximum").isTrue();
    }

    @Test
    void returnsAtOnceWhenEveryExpectedDeliveryArrived() throws InterruptedException {
        PublishOptions options = new PublishOptions();
        options.drainQuietSeconds = 60;
        DeliveryLedger ledger = new DeliveryLedger(new PublishPlan(Scenario.BROADCAST, new Population(2, 2, 1), 1, 1));
        ledger.accepted(0);
        ledger.delivered(0, 0, 1000, System.nanoTime());
        ledger.delivered(1, 0, 1000, System.nanoTime());

        long t0 = System.nanoTime();
        options.drain(ledger, System.nanoTime());

        assertThat(System.nanoTime() - t0).isLessThan(S);
    }
}

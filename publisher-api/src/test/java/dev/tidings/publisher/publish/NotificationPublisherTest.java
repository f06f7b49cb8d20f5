package dev.tidings.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.config.TestProperties;
import dev.tidings.publisher.problem.Problems;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.TargetType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** The publisher's threading while Kafka does not answer; the broker-backed path is in PublisherApiIT. */
class NotificationPublisherTest {

    /** A producer whose broker never answers: every send waits its max.block.ms for metadata. */
    final DefaultKafkaProducerFactory<String, Notification> producers = new DefaultKafkaProducerFactory<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1500,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, NotificationSerializer.class));
    final NotificationPublisher publisher = new NotificationPublisher(new KafkaTemplate<>(producers),
            TestProperties.publisher("send-timeout", "5s"), new SimpleMeterRegistry());
    final Principal caller = new Principal("svc", Set.of(), Set.of(Principal.SCOPE_PUBLISH),
            Instant.now().plusSeconds(60));

    @AfterEach
    void close() {
        publisher.destroy();
        producers.destroy();
    }

    @Test
    void beforeKafkaAcknowledgedAnythingSendsRunOffTheCallingThread() {
        String thread = publisher.withoutBlocking(caller, false,
                        () -> Mono.fromSupplier(() -> Thread.currentThread().getName()))
                .block(Duration.ofSeconds(5));

        assertThat(thread).startsWith("kafka-send").isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void whileKafkaIsUnreachableTheCallerIsNeverMadeToWaitAndGetsA503() {
        ValidNotification notice = new ValidNotification(null, TargetType.USER, List.of("alice"), "e", "{}", null);
        AtomicReference<Throwable> failure = new AtomicReference<>();

        long started = System.nanoTime();
        Disposable subscription = publisher
                .withoutBlocking(caller, false, () -> publisher.publish(notice, "n-1", caller))
                .subscribe(result -> { }, failure::set);
        Duration callerWaited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(callerWaited).as("the producer's metadata wait happened elsewhere").isLessThan(Duration.ofMillis(1500));
        await().atMost(Duration.ofSeconds(15)).until(() -> failure.get() != null);
        assertThat(failure.get()).isInstanceOf(KafkaUnavailableException.class);
        assertThat(Problems.of(failure.get()).getStatus()).isEqualTo(503);
        assertThat(Problems.of(failure.get()).getProperties()).containsEntry("id", "n-1");
        subscription.dispose();
    }
}

package dev.tidings.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.tidings.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

class KafkaConsumerConfigurationTest {

    @Test
    void theLiveConsumerLongPollsSoThatARecordIsFetchedAsSoonAsItIsAppended() {
        Map<String, Object> config = liveConsumerConfig(Map.of());

        // The broker answers a fetch once any byte is there, and holds an empty one up to half a second.
        assertThat(config).containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1)
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
    }

    @Test
    void aDeploymentsOwnFetchSettingsTakePrecedence() {
        Map<String, Object> config = liveConsumerConfig(Map.of("spring.kafka.consumer.fetch-min-size", "64KB",
                "spring.kafka.consumer.fetch-max-wait", "5ms"));

        assertThat(config).containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65536)
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    }

    private static Map<String, Object> liveConsumerConfig(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("tidings.gateway.node-id", "node-1");
        Binder binder = new Binder(new MapConfigurationPropertySource(all));
        KafkaProperties kafka = binder.bindOrCreate("spring.kafka", KafkaProperties.class);
        GatewayProperties gateway = binder.bindOrCreate("tidings.gateway", GatewayProperties.class);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        return new KafkaConsumerConfiguration().gatewayConsumerFactory(kafka, gateway, meters,
                new PoisonRecords(meters, Duration.ofSeconds(10))).getConfigurationProperties();
    }
}

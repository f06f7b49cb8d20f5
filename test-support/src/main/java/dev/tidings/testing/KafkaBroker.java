package dev.tidings.testing;

/**
 * A running Kafka broker that tests talk to.
 *
 * @param bootstrapServers the {@code bootstrap.servers} value
 * @param origin where the broker came from (environment, Testcontainers or embedded KRaft)
 */
public record KafkaBroker(String bootstrapServers, String origin) {
}

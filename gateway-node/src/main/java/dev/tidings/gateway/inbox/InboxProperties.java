package dev.tidings.gateway.inbox;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the inbox, bound from {@code tidings.inbox.*}.
 *
 * @param enabled whether this gateway runs the inbox (its stores and its HTTP endpoints)
 * @param retention oldest item an inbox lists; older items are dropped from the stores
 * @param maxItems most items an inbox lists, and most items kept per address (user, group, broadcast)
 * @param defaultLimit items per page when the request names no {@code limit}
 * @param maxLimit largest {@code limit} a request may ask for
 * @param maxReadIds most ids one {@code POST /api/v1/inbox/read} may mark
 * @param applicationId the Kafka Streams {@code application.id}, shared by every gateway of a deployment;
 *     empty: {@code tidings-inbox.<topic>}
 * @param readTopic the compacted read-state topic; empty: {@code <topic>.inbox-reads}
 * @param stateDir where this gateway keeps its RocksDB stores; empty: {@code <tmp>/tidings-inbox/<node-id>}.
 *     Two gateways on one machine need different directories
 * @param advertisedHost the host other gateways reach this one's HTTP port on; empty: this machine's address
 * @param standbyReplicas warm copies of each store kept on other gateways ({@code num.standby.replicas})
 * @param queryTimeout longest an inbox request waits for the stores (rebalancing, restoring, other gateways)
 * @param memory off-heap memory of all this gateway's inbox stores together (RocksDB's block cache, memtables
 *     included): one budget, whatever the number of partitions held ({@link BoundedRocksDbMemory})
 * @param sweepInterval how often each task drops items past retention, and read marks of items past
 *     retention (a mark goes one interval after the items it can cover, with a tombstone on the read topic)
 */
@ConfigurationProperties("tidings.inbox")
public record InboxProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("500") int maxItems,
        @DefaultValue("50") int defaultLimit,
        @DefaultValue("200") int maxLimit,
        @DefaultValue("500") int maxReadIds,
        @DefaultValue("") String applicationId,
        @DefaultValue("") String readTopic,
        @DefaultValue("") String stateDir,
        @DefaultValue("") String advertisedHost,
        @DefaultValue("1") int standbyReplicas,
        @DefaultValue("5s") Duration queryTimeout,
        @DefaultValue("64MB") DataSize memory,
        @DefaultValue("10m") Duration sweepInterval) {

    public InboxProperties {
        require(!retention.isNegative() && !retention.isZero(), "tidings.inbox.retention must be positive");
        require(maxItems >= 1, "tidings.inbox.max-items must be at least 1");
        require(defaultLimit >= 1 && defaultLimit <= maxLimit,
                "tidings.inbox.default-limit must be between 1 and tidings.inbox.max-limit");
        require(maxReadIds >= 1, "tidings.inbox.max-read-ids must be at least 1");
        require(standbyReplicas >= 0, "tidings.inbox.standby-replicas must not be negative");
        require(queryTimeout.toMillis() >= 100, "tidings.inbox.query-timeout must be at least 100ms");
        require(memory.toBytes() >= 8L * 1024 * 1024, "tidings.inbox.memory must be at least 8MB");
        require(sweepInterval.toMillis() >= 100, "tidings.inbox.sweep-interval must be at least 100ms");
    }

    /** The Streams application id for the notifications topic. */
    public String applicationIdFor(String topic) {
        return applicationId.isBlank() ? "tidings-inbox." + topic : applicationId;
    }

    /** The read-state topic for the notifications topic. */
    public String readTopicFor(String topic) {
        return readTopic.isBlank() ? topic + ".inbox-reads" : readTopic;
    }

    /** This node's state directory. */
    public Path stateDirFor(String nodeId) {
        return !stateDir.isBlank() ? Path.of(stateDir)
                : Path.of(System.getProperty("java.io.tmpdir"), "tidings-inbox", nodeId);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

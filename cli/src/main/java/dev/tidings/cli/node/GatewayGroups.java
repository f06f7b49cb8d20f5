package dev.tidings.cli.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;

import dev.tidings.cli.workspace.CliException;

/**
 * The Kafka consumer groups of gateway nodes, {@code tidings-gateway-<nodeId>} (one per node, so
 * that every node reads the whole topic), seen and deleted through the Kafka {@link Admin} client.
 * Kafka failures become {@link CliException}s that say what to check.
 *
 * <p>Not thread-safe: one command uses it, then closes it.
 */
final class GatewayGroups implements AutoCloseable {

    /** The group id of gateway node {@code <nodeId>} is this prefix and the node id. */
    static final String PREFIX = "tidings-gateway-";
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String bootstrapServers;
    private final Admin admin;

    /**
     * A gateway's consumer group as the broker describes it.
     *
     * @param groupId {@code tidings-gateway-<nodeId>}
     * @param state the group state, e.g. {@code EMPTY} or {@code STABLE}
     * @param members the consumers in it now; a gateway node that runs is one
     */
    record Group(String groupId, String state, List<Member> members) {

        String nodeId() {
            return groupId.startsWith(PREFIX) ? groupId.substring(PREFIX.length()) : groupId;
        }
    }

    /**
     * A consumer in a group.
     *
     * @param clientId the consumer's {@code client.id}
     * @param host where it connects from
     * @param instanceId its {@code group.instance.id} when it is a static member (gateway nodes
     *     are, with their node id), else {@code null}
     */
    record Member(String clientId, String host, @Nullable String instanceId) {
    }

    /**
     * A committed offset and how far the partition has gone since.
     *
     * @param partition the topic partition
     * @param committed the group's committed offset
     * @param end the partition's end offset, or {@code null} when it could not be read
     */
    record Offset(TopicPartition partition, long committed, @Nullable Long end) {

        @Nullable Long lag() {
            return end == null ? null : Math.max(0, end - committed);
        }
    }

    private GatewayGroups(String bootstrapServers, Admin admin) {
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
    }

    /** An admin client for the cluster at {@code bootstrapServers}; connects on first use. */
    static GatewayGroups connect(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "tidings-cli");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() - 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try {
            return new GatewayGroups(bootstrapServers, Admin.create(config));
        }
        catch (KafkaException ex) {
            throw new CliException("cannot use Kafka at " + bootstrapServers + ": " + rootMessage(ex));
        }
    }

    /** The group of gateway node {@code nodeId}, or empty when the broker has none. */
    Optional<Group> describe(String nodeId) {
        String groupId = PREFIX + nodeId;
        try {
            ConsumerGroupDescription description = await(admin.describeConsumerGroups(List.of(groupId)).all(),
                    "describe consumer group " + groupId).get(groupId);
            if (description == null || description.groupState() == GroupState.DEAD) {
                return Optional.empty();
            }
            return Optional.of(group(description));
        }
        catch (GroupIdNotFoundException ex) {
            return Optional.empty();
        }
    }

    /** Every {@code tidings-gateway-*} consumer group, sorted by id. */
    List<Group> list() {
        List<String> ids = new ArrayList<>();
        for (GroupListing listing : await(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all(),
                "list consumer groups")) {
            if (listing.groupId().startsWith(PREFIX)) {
                ids.add(listing.groupId());
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Group> groups = new ArrayList<>();
        try {
            for (ConsumerGroupDescription description : await(admin.describeConsumerGroups(ids).all(),
                    "describe the gateway consumer groups").values()) {
                if (description.groupState() != GroupState.DEAD) {
                    groups.add(group(description));
                }
            }
        }
        catch (GroupIdNotFoundException deletedMeanwhile) {
            // Listed, then deleted: describe them one by one and keep those still there.
            ids.forEach(id -> describe(id.substring(PREFIX.length())).ifPresent(groups::add));
        }
        groups.sort(Comparator.comparing(Group::groupId));
        return groups;
    }

    /** The group's committed offsets with the partitions' end offsets, by topic and partition. */
    List<Offset> offsets(String groupId) {
        Map<TopicPartition, OffsetAndMetadata> committed = await(
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                "read the committed offsets of " + groupId);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                latest.put(partition, OffsetSpec.latest());
            }
        });
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = Map.of();
        if (!latest.isEmpty()) {
            try {
                ends = await(admin.listOffsets(latest).all(), "read the end offsets");
            }
            catch (CliException | KafkaException partitionsGone) {
                // Only the lag column is lost: the committed offsets are what the operator deletes.
            }
        }
        List<Offset> offsets = new ArrayList<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            if (entry.getValue() != null) {
                ListOffsetsResult.ListOffsetsResultInfo end = ends.get(entry.getKey());
                offsets.add(new Offset(entry.getKey(), entry.getValue().offset(), end == null ? null : end.offset()));
            }
        }
        offsets.sort(Comparator.comparing((Offset offset) -> offset.partition().topic())
                .thenComparingInt(offset -> offset.partition().partition()));
        return offsets;
    }

    /**
     * Deletes the group and its committed offsets.
     *
     * @throws CliException when it has active members again, or is already gone
     */
    void delete(String groupId) {
        try {
            await(admin.deleteConsumerGroups(List.of(groupId)).all(), "delete consumer group " + groupId);
        }
        catch (GroupNotEmptyException ex) {
            throw new CliException("consumer group " + groupId + " has active members again: nothing deleted");
        }
        catch (GroupIdNotFoundException ex) {
            throw new CliException("consumer group " + groupId + " is already gone: nothing deleted");
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    private static Group group(ConsumerGroupDescription description) {
        List<Member> members = new ArrayList<>();
        for (MemberDescription member : description.members()) {
            members.add(new Member(member.clientId(), member.host(), member.groupInstanceId().orElse(null)));
        }
        GroupState state = description.groupState();
        return new Group(description.groupId(), state == null ? "UNKNOWN" : state.name().toUpperCase(Locale.ROOT),
                List.copyOf(members));
    }

    /**
     * The future's value within {@link #TIMEOUT}. Kafka's own "not found" and "not empty" errors
     * are rethrown for the caller to handle; everything else becomes a {@link CliException}.
     */
    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            if (cause instanceof GroupIdNotFoundException notFound) {
                throw notFound;
            }
            if (cause instanceof GroupNotEmptyException notEmpty) {
                throw notEmpty;
            }
            if (cause instanceof TimeoutException) {
                throw unreachable(what);
            }
            throw new CliException("cannot " + what + " at " + bootstrapServers + ": " + rootMessage(cause));
        }
        catch (java.util.concurrent.TimeoutException ex) {
            throw unreachable(what);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while trying to " + what);
        }
    }

    private CliException unreachable(String what) {
        return new CliException("cannot " + what + ": no answer from Kafka at " + bootstrapServers + " within "
                + TIMEOUT.toSeconds() + " s; is `tidings up` running, or are --bootstrap / KAFKA_BOOTSTRAP_SERVERS right?");
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}

package dev.tidings.gateway.inbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.tidings.common.threads.BackgroundThreads;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.schema.TopicLayout;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's member of the inbox's Kafka Streams application. Started once the gateway's HTTP port
 * is known (other gateways reach this one's stores there), on a thread of its own: it first makes sure the
 * read-state topic exists, compacted, with as many partitions as the notifications topic (so a user's
 * items and marks share a task). Its stores live under the node's state directory.
 *
 * <p>Thread-safe: start and close are synchronized; {@link #local()} is safe once {@link #isRunning()}.
 */
final class InboxStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InboxStreams.class);

    private final InboxProperties properties;
    private final GatewayProperties gateway;
    private final TopicLayout layout;
    private final Map<String, Object> streamsConfig;
    private final Map<String, Object> adminConfig;
    private final FrameEncoder frames;
    private @Nullable KafkaStreams streams;
    private @Nullable LocalInbox local;
    private @Nullable HostInfo self;
    private volatile boolean closed;

    InboxStreams(InboxProperties properties, GatewayProperties gateway, TopicLayout layout,
            Map<String, Object> streamsConfig, Map<String, Object> adminConfig, FrameEncoder frames) {
        this.properties = properties;
        this.gateway = gateway;
        this.layout = layout;
        this.streamsConfig = streamsConfig;
        this.adminConfig = adminConfig;
        this.frames = frames;
    }

    /**
     * Starts the Streams member in the background, advertising {@code port}. The member is created, and later
     * started, on a {@linkplain BackgroundThreads background thread}, so that its stream, producer, restore and RocksDB
     * threads are background threads as well and yield the cores to the live path; this method waits for the
     * creation, so that a configuration the inbox can not run with fails the gateway's start.
     */
    synchronized void start(int port) {
        if (streams != null || closed) {
            return;
        }
        HostInfo host = new HostInfo(advertisedHost(), port);
        String readTopic = properties.readTopicFor(layout.topic());
        CompletableFuture<KafkaStreams> creation = new CompletableFuture<>();
        BackgroundThreads.start("inbox-start", () -> {
            KafkaStreams created;
            try {
                created = new KafkaStreams(
                        InboxTopology.build(layout.topic(), readTopic, properties, frames), config(host));
            }
            catch (RuntimeException | Error ex) {
                creation.completeExceptionally(ex);
                return;
            }
            creation.complete(created);
            try {
                ensureReadTopic(readTopic);
                synchronized (this) { // after start(port) returned: the handler is set
                    if (!closed) {
                        created.start();
                    }
                }
            }
            catch (RuntimeException ex) {
                log.error("The inbox could not start", ex);
            }
        });
        KafkaStreams created;
        try {
            created = creation.join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof Error error) {
                throw error;
            }
            throw ex.getCause() instanceof RuntimeException cause ? cause : ex;
        }
        created.setUncaughtExceptionHandler(ex -> {
            log.error("Inbox stream thread failed; replacing it", ex);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        self = host;
        streams = created;
        local = new LocalInbox(created, properties);
    }

    boolean isRunning() {
        KafkaStreams current = streams;
        return current != null && current.state() == KafkaStreams.State.RUNNING;
    }

    /** Whether stores may be queried: running, or rebalancing (partitions that stay here still answer). */
    boolean isQueryable() {
        KafkaStreams current = streams;
        return current != null && current.state().isRunningOrRebalancing();
    }

    @Nullable KafkaStreams streams() {
        return streams;
    }

    LocalInbox local() {
        LocalInbox current = local;
        if (current == null) {
            throw new IllegalStateException("the inbox has not started");
        }
        return current;
    }

    HostInfo self() {
        HostInfo current = self;
        if (current == null) {
            throw new IllegalStateException("the inbox has not started");
        }
        return current;
    }

    private Properties config(HostInfo host) {
        Properties config = new Properties();
        config.putAll(streamsConfig);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationIdFor(layout.topic()));
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, host.host() + ":" + host.port());
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDirFor(gateway.nodeId()).toString());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) layout.replicationFactor());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        config.put(BoundedRocksDbMemory.MEMORY_CONFIG, properties.memory().toBytes());
        // Each commit flushes every store's memtable to a new file (and compactions follow): at 1 s that was
        // most of the inbox's CPU at moderate rates. Queries read the stores, not what is committed, so a
        // longer interval only means more records read again after a crash (stored under the same keys).
        config.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 10_000);
        // A gateway that joins a running deployment warms its share as standbys, then takes it over at the
        // next probing rebalance: by default the shortest Kafka Streams allows, not its 10 min.
        config.putIfAbsent(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, 60_000L);
        // The inbox is not the live path: an item may show in it up to 100 ms after its live delivery. The broker
        // gathers up to that long per fetch instead of answering every produce with a fetch of its own, which is
        // what Kafka Streams' consumer does by default (fetch.min.bytes=1).
        config.putIfAbsent(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 64 * 1024);
        config.putIfAbsent(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
        // The same for the standby copies (the restore consumer reads the other gateway's changelog appends): a
        // standby may trail its active copy by up to 250 ms, and a task restoring its store reads full fetches.
        config.putIfAbsent(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 64 * 1024);
        config.putIfAbsent(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 250);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A gateway that dies hands its partitions over within this, not the 45 s default.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        return config;
    }

    private String advertisedHost() {
        if (!properties.advertisedHost().isBlank()) {
            return properties.advertisedHost();
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        }
        catch (UnknownHostException ex) {
            return "127.0.0.1";
        }
    }

    /** Creates the read-state topic when missing: compacted, partitioned as the notifications topic. */
    private void ensureReadTopic(String readTopic) {
        try (Admin admin = Admin.create(adminConfig)) {
            while (!closed) {
                try {
                    Map<String, TopicDescription> described = admin.describeTopics(List.of(layout.topic()))
                            .allTopicNames().get();
                    int partitions = described.get(layout.topic()).partitions().size();
                    NewTopic topic = new NewTopic(readTopic, partitions, layout.replicationFactor())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                    try {
                        admin.createTopics(List.of(topic)).all().get();
                    }
                    catch (ExecutionException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            throw ex;
                        }
                        int existing = admin.describeTopics(List.of(readTopic)).allTopicNames().get()
                                .get(readTopic).partitions().size();
                        if (existing != partitions) {
                            log.error("The read-state topic {} has {} partitions, the topic {} {}: read marks of most "
                                    + "users will not be found. Delete it (it is recreated at the next start) or "
                                    + "give it {} partitions.", readTopic, existing, layout.topic(), partitions, partitions);
                        }
                    }
                    return;
                }
                catch (ExecutionException ex) {
                    log.warn("The inbox waits for the topic {}: {}", layout.topic(), ex.getCause().toString());
                    sleep(Duration.ofSeconds(1));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        KafkaStreams current = streams;
        if (current != null) {
            current.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(10)));
        }
    }
}

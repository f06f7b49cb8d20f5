package dev.tidings.gateway.warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.common.cursor.Cursor;
import dev.tidings.common.cursor.CursorCodec;
import dev.tidings.common.warmup.JitSettling;
import dev.tidings.common.warmup.WarmUpProgress;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.RecoveryWindow;
import dev.tidings.gateway.routing.NotificationRouter;
import dev.tidings.gateway.session.DeliveryBatcher;
import dev.tidings.gateway.session.SessionIndex;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;

/**
 * Runs the node's connection and delivery paths on loopback before the node reports ready, so that a fresh
 * process (a new node, or one restarted in a rolling update) serves its first clients with code the JIT has
 * compiled instead of compiling it while they wait. It ends when the JIT has settled on that work (its compiler
 * threads compiled for under 5 % of the last second, at least 2 s in), or after
 * {@code tidings.gateway.warm-up.duration}, whichever comes first.
 *
 * <p>It opens {@code connections} WebSocket sessions to the node's own port, each with a token it signs
 * with the node's HS256 secret for a user of its own ({@code tidings-warm-up-<run>-<n>}, {@code <run>} random
 * per start) and a group of its own. All the while it replays the topic's most recent records through a listener
 * container of its own, in many small fetches, decoding and framing them as the live path does and delivering none
 * ({@link RecentRecords}). Meanwhile, round after round until it ends: user
 * notifications to each session and a few to the group, each serialized and decoded as a Kafka record would be
 * and routed in batches of consumer records through the live path's own code ({@link NotificationRouter}, the
 * recovery window, the batcher, the event loops and the write path), so that the JIT compiles the methods live
 * records enter by and not others; every session pings; a few sessions reconnect, and resume from the node's
 * position (nothing to replay, so no record of the topic is read for them) through the node's own resume path: the
 * cursor's check, the recovery window's lookup, the held live frames and the {@code resumed} frame, which a rolling
 * restart's clients all take at once on the nodes that stay. Each round waits until its frames arrived, so nothing
 * queues.
 *
 * <p>What it sends is addressed to its own user and group ids (random per start) and routed by a router of its own
 * ({@link NotificationRouter#detached}), never as a broadcast and never through the Kafka topic: no client, no
 * node and no inbox sees it, and the node's position, recovery window and meters do not change. Its sessions
 * count among the node's connections while they are open.
 * A node that verifies tokens from a JWKS issuer cannot sign one and skips the warm-up, as does a node that
 * serves TLS itself; one that fails (a refused connection, frames that do not arrive) logs why and reports
 * ready all the same, as it would have without a warm-up.
 *
 * <p>Thread-safe: runs on a thread of its own; {@link #health} may be called from any thread.
 */
public final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    /** User notifications per session per round. */
    static final int USER_NOTICES_PER_ROUND = 32;
    /** Group notifications per round, each to every session. */
    static final int GROUP_NOTICES_PER_ROUND = 16;
    /** Sessions closed and opened again per round, all at once. */
    static final int RECONNECTS_PER_ROUND = 16;
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(10);
    /** Most of the topic's recent records replayed. */
    static final int RECENT_RECORDS = 20_000;
    private static final Duration RECENT_RECORDS_TIMEOUT = Duration.ofSeconds(5);
    /** The warm-up router's own recovery window: enough to run its appends and evictions, nothing kept. */
    private static final long WINDOW_BYTES = 4L * 1024 * 1024;
    private static final Duration WINDOW_AGE = Duration.ofSeconds(30);
    private static final String PAYLOAD = "{\"warmUp\":true,\"text\":\"" + "x".repeat(64) + "\",\"round\":";

    private final WarmUpProperties properties;
    private final @Nullable TokenIssuer issuer;
    private final SessionIndex sessions;
    private final DeliveryBatcher batcher;
    private final FrameEncoder frames;
    private final NodePosition position;
    private final CursorCodec cursors;
    private final MeterRegistry meters;
    private final @Nullable RecentRecords recent;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String group = "tidings-warm-up-" + run;
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong handshakes = new AtomicLong();
    private final AtomicLong resumes = new AtomicLong();
    private final WarmUpProgress progress;

    /**
     * @param issuer signs the warm-up's tokens as the node's verifier accepts them; {@code null} when the
     *     node verifies tokens from a JWKS issuer, which skips the warm-up
     * @param batcher a batcher of the node's event loops for the warm-up's thread alone
     *     ({@link DeliveryBatcher#sibling})
     * @param position the node's position: the warm-up's cursors name its topic and partitions
     * @param cursors signs the warm-up's cursors as the node signs its own
     * @param meters the warm-up's own meters, of the node's kind and exported nowhere
     * @param recent replays the topic's recent records while the warm-up runs; {@code null} replays none
     */
    WarmUp(WarmUpProperties properties, @Nullable TokenIssuer issuer, SessionIndex sessions, DeliveryBatcher batcher,
            FrameEncoder frames, NodePosition position, CursorCodec cursors, MeterRegistry meters,
            @Nullable RecentRecords recent) {
        this.recent = recent;
        this.properties = properties;
        this.issuer = issuer;
        this.sessions = sessions;
        this.batcher = batcher;
        this.frames = frames;
        this.position = position;
        this.cursors = cursors;
        this.meters = meters;
        this.progress = new WarmUpProgress(properties.duration());
    }

    /**
     * Starts the warm-up on a thread of its own against the node's WebSocket endpoint ({@code ws://host:port/ws});
     * {@code null} when the node serves TLS itself, which the warm-up does not speak, and skips.
     */
    synchronized void start(@Nullable URI endpoint) {
        if (progress.state() != WarmUpProgress.State.WAITING) {
            return;
        }
        if (properties.duration().isZero()) {
            skip("tidings.gateway.warm-up.duration is 0");
            return;
        }
        if (endpoint == null) {
            skip("the node serves TLS itself (server.ssl.enabled) and the warm-up connects over plain ws://");
            return;
        }
        if (issuer == null) {
            skip("the node verifies tokens from a JWKS issuer and cannot sign one for its loopback sessions");
            return;
        }
        progress.begin();
        TokenIssuer tokens = issuer;
        Thread thread = new Thread(() -> run(tokens, endpoint), "tidings-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the warm-up is. */
    public WarmUpProgress.State state() {
        return progress.state();
    }

    /**
     * {@code warmUp} in {@code /actuator/health} and its readiness group: OUT_OF_SERVICE while it runs (the
     * node is not ready), then UP, with what it did.
     */
    Health health() {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("deliveries", deliveries.get());
        counts.put("handshakes", handshakes.get());
        counts.put("resumes", resumes.get());
        counts.put("recentRecords", recent == null ? 0 : recent.range());
        counts.put("recordsRead", recent == null ? 0 : recent.read());
        return (progress.holdsReadiness() ? Health.outOfService() : Health.up())
                .withDetails(progress.details(counts)).build();
    }

    private void skip(String why) {
        progress.skip(why);
        log.info("Warm-up skipped: {}", why);
    }

    private void run(TokenIssuer tokens, URI endpoint) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(ROUND_TIMEOUT).build();
        List<LoopbackClient> clients = new ArrayList<>();
        List<CompletableFuture<LoopbackClient>> opening = new ArrayList<>();
        long deadline = progress.deadlineNanos();
        @Nullable String why = null;
        try {
            replayRecent();
            int next = 0;
            for (; next < properties.connections(); next++) {
                opening.add(LoopbackClient.open(http, tokens, endpoint, user(next), group, null, ROUND_TIMEOUT));
            }
            for (CompletableFuture<LoopbackClient> client : opening) {
                clients.add(opened(client));
            }
            Rounds rounds = new Rounds();
            int reconnects = Math.min(RECONNECTS_PER_ROUND, clients.size() / 2);
            JitSettling settling = progress.watchJit();
            for (int round = 0; System.nanoTime() < deadline && !settling.settled(); round++) {
                rounds.deliver(clients, round);
                // Some sessions leave and new ones connect, concurrently, as clients come and go.
                opening.clear();
                // Null while the node has no position yet (its partitions not assigned): those connect afresh.
                @Nullable String cursor = position.encodedSnapshot();
                for (int k = 0; k < reconnects; k++) {
                    opening.add(LoopbackClient.open(http, tokens, endpoint, user(next++), group, cursor,
                            ROUND_TIMEOUT));
                }
                for (int k = 0; k < reconnects; k++) {
                    int slot = (round * reconnects + k) % clients.size();
                    clients.get(slot).close();
                    clients.set(slot, opened(opening.get(k)));
                }
            }
        }
        catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            why = ex.toString();
        }
        finally {
            if (recent != null) {
                recent.close();
            }
            clients.forEach(LoopbackClient::close);
            // Those still connecting close once connected, whenever that is.
            opening.forEach(client -> client.thenAccept(LoopbackClient::close));
        }
        finish(why);
    }

    private void finish(@Nullable String why) {
        progress.finish(why);
        long tookMillis = progress.tookMillis();
        if (why == null) {
            log.info("Warm-up done in {} ms: {} reads of the topic's {} recent records, {} deliveries to {} loopback "
                    + "sessions over {} handshakes ({} resuming), JIT compile time {} ms in all", tookMillis,
                    recent == null ? 0 : recent.read(), recent == null ? 0 : recent.range(), deliveries.get(),
                    properties.connections(), handshakes.get(), resumes.get(), progress.compileMillis());
        }
        else {
            log.warn("Warm-up stopped after {} ms ({} deliveries): {}; it no longer holds the node's readiness", tookMillis,
                    deliveries.get(), why);
        }
    }

    /**
     * The Kafka client's fetch path and the listener container, on the deployment's own records, until the warm-up
     * ends; a failure here replays none.
     */
    private void replayRecent() {
        if (recent == null) {
            return;
        }
        try {
            recent.start(RECENT_RECORDS, RECENT_RECORDS_TIMEOUT, group);
        }
        catch (RuntimeException ex) {
            log.info("Warm-up replays none of the topic's recent records: {}", ex.toString());
        }
    }

    private LoopbackClient opened(CompletableFuture<LoopbackClient> opening) throws Exception {
        LoopbackClient client = opening.get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        handshakes.incrementAndGet();
        if (client.resumed()) {
            resumes.incrementAndGet();
        }
        return client;
    }

    private String user(int n) {
        return group + "-" + n;
    }

    /**
     * One round's notifications, routed as the node's Kafka consumer thread routes records: each an Avro record
     * serialized and decoded as the consumer's deserializer would, in batches of consumer records through a
     * {@link NotificationRouter#detached detached router} (the node's sessions and the warm-up's batcher, a
     * position, recovery window and meters of its own), which windows each, frames it with its cursor and
     * dispatches it to the sessions it is addressed to: the warm-up's own, by their user and group ids.
     */
    private final class Rounds {

        /** Consumer records per routed batch, as a poll of the live consumer hands them over. */
        private static final int BATCH = 256;

        private final NotificationSerializer serializer = new NotificationSerializer();
        private final NotificationDeserializer deserializer = new NotificationDeserializer();
        private final NodePosition routed = new NodePosition(cursors);
        private final NotificationRouter router = NotificationRouter.detached(sessions, batcher, frames, routed,
                new RecoveryWindow(WINDOW_BYTES, WINDOW_AGE), meters);
        private final List<ConsumerRecord<String, Notification>> batch = new ArrayList<>(BATCH);
        /** The warm-up's own topic id, while the node has not been assigned the topic yet. */
        private final UUID unassigned = UUID.randomUUID();
        private int partitions = 1;
        /** Far above any real offset, so no warm-up session's gate takes a frame for one it had. */
        private long offset = Long.MAX_VALUE / 2;

        void deliver(List<LoopbackClient> clients, int round) throws InterruptedException {
            follow(position.snapshot());
            for (int k = 0; k < USER_NOTICES_PER_ROUND; k++) {
                for (LoopbackClient client : clients) {
                    client.expected++;
                    add(TargetType.USER, client.user, round);
                }
            }
            for (int k = 0; k < GROUP_NOTICES_PER_ROUND; k++) {
                for (LoopbackClient client : clients) {
                    client.expected++;
                }
                add(TargetType.GROUP, group, round);
            }
            route();
            for (LoopbackClient client : clients) {
                client.ping();
            }
            awaitArrival(clients);
            deliveries.addAndGet((long) clients.size() * (USER_NOTICES_PER_ROUND + GROUP_NOTICES_PER_ROUND));
        }

        /** Once per round: the router's position takes the node's topic id and partitions, when it has them. */
        private void follow(@Nullable Cursor node) {
            partitions = node == null ? 1 : Math.max(1, node.partitions());
            routed.reset(node == null ? unassigned : node.topicId(), new long[partitions]);
        }

        private void add(TargetType type, String id, int round) {
            Notification notification = Notification.newBuilder()
                    .setId(UUID.randomUUID().toString())
                    .setEvent("tidings.warm-up")
                    .setTarget(Target.newBuilder().setType(type).setIds(List.of(id)).build())
                    .setPayload(PAYLOAD + round + "}")
                    .setPublishedAt(Instant.now())
                    .setSource("tidings-warm-up")
                    .build();
            byte[] value = serializer.serialize(group, notification);
            Notification decoded = deserializer.deserialize(group, value);
            batch.add(new ConsumerRecord<>(group, ThreadLocalRandom.current().nextInt(partitions), offset++,
                    System.currentTimeMillis(), TimestampType.CREATE_TIME, id.length(), value.length, id, decoded,
                    new RecordHeaders(), Optional.empty()));
            if (batch.size() == BATCH) {
                route();
            }
        }

        private void route() {
            if (!batch.isEmpty()) {
                router.onMessage(batch);
                batch.clear();
            }
        }

        private void awaitArrival(List<LoopbackClient> clients) throws InterruptedException {
            long until = System.nanoTime() + ROUND_TIMEOUT.toNanos();
            for (LoopbackClient client : clients) {
                while (client.received.get() < client.expected) {
                    if (System.nanoTime() > until) {
                        throw new IllegalStateException("loopback session " + client.user + " got "
                                + client.received.get() + " of " + client.expected + " frames within "
                                + ROUND_TIMEOUT.toSeconds() + " s");
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                }
            }
        }
    }
}

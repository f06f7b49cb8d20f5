package dev.tidings.gateway.resume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.routing.FrameEncoder;
import dev.tidings.gateway.routing.PoisonRecordException;
import dev.tidings.schema.Notification;
import dev.tidings.schema.RoutingKeys;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads records older than the recovery window from Kafka for resuming clients. Requests that
 * arrive together are served by one read: the reader seeks each partition once to the earliest
 * offset any of them needs and hands each record to every request it is addressed to (looked up
 * by target, not scanned), so a reconnect storm of thousands of clients costs one pass over the
 * topic, not thousands.
 *
 * <p>Thread-safe: requests go through a concurrent queue to a single reader thread, which owns
 * the Kafka consumer it creates per batch.
 */
@Component
public class CatchUpReader implements DisposableBean {

    /** Receives the records found for one request and whether the whole range could be read. */
    @FunctionalInterface
    public interface Callback {
        void done(List<RecoveryWindow.Entry> entries, boolean complete);
    }

    private record Request(Principal principal, long[] from, long[] to, Callback callback,
            List<RecoveryWindow.Entry> found, boolean[] complete) {
    }

    private static final Logger log = LoggerFactory.getLogger(CatchUpReader.class);

    private final BlockingQueue<Request> pending = new LinkedBlockingQueue<>();
    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final Duration timeout;
    private final FrameEncoder frames;
    private final Thread worker;
    private volatile boolean running = true;

    CatchUpReader(DefaultKafkaConsumerFactory<String, Notification> gatewayConsumerFactory,
            GatewayProperties properties, FrameEncoder frames) {
        Map<String, Object> config = new HashMap<>(gatewayConsumerFactory.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.consumerGroup() + "-catch-up");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumerConfig = config;
        this.topic = properties.topic();
        this.timeout = properties.catchUpTimeout();
        this.frames = frames;
        this.worker = new Thread(this::loop, "resume-catch-up");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Reads, asynchronously, the records addressed to the principal in {@code [from, to)} per partition. */
    public void read(Principal principal, long[] from, long[] to, Callback callback) {
        pending.add(new Request(principal, from, to, callback, new ArrayList<>(), new boolean[] {true}));
    }

    private void loop() {
        while (running) {
            List<Request> batch = new ArrayList<>();
            try {
                batch.add(pending.take());
            }
            catch (InterruptedException ex) {
                return;
            }
            pending.drainTo(batch);
            try {
                serve(batch);
            }
            catch (RuntimeException ex) {
                log.warn("Catch-up read for {} resumes failed: {}", batch.size(), ex.toString());
                batch.forEach(r -> r.complete()[0] = false);
            }
            for (Request request : batch) {
                try {
                    request.callback().done(request.found(), request.complete()[0]);
                }
                catch (RuntimeException ex) {
                    log.warn("Resume callback failed", ex);
                }
            }
        }
    }

    private void serve(List<Request> batch) {
        int partitions = batch.get(0).from().length;
        long[] start = new long[partitions];
        long[] end = new long[partitions];
        java.util.Arrays.fill(start, Long.MAX_VALUE);
        Map<String, List<Request>> byKey = new HashMap<>();
        for (Request r : batch) {
            for (int p = 0; p < partitions; p++) {
                if (r.from()[p] < r.to()[p]) {
                    start[p] = Math.min(start[p], r.from()[p]);
                    end[p] = Math.max(end[p], r.to()[p]);
                }
            }
            byKey.computeIfAbsent(RoutingKeys.BROADCAST, k -> new ArrayList<>()).add(r);
            byKey.computeIfAbsent(RoutingKeys.user(r.principal().userId()), k -> new ArrayList<>()).add(r);
            for (String group : r.principal().groups()) {
                byKey.computeIfAbsent(RoutingKeys.group(group), k -> new ArrayList<>()).add(r);
            }
        }
        List<TopicPartition> needed = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (start[p] < end[p]) {
                needed.add(new TopicPartition(topic, p));
            }
        }
        if (needed.isEmpty()) {
            return;
        }
        try (KafkaConsumer<String, Notification> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.assign(needed);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(needed, timeout);
            for (TopicPartition tp : needed) {
                long first = beginning.getOrDefault(tp, 0L);
                for (Request r : batch) {
                    if (r.from()[tp.partition()] < first && r.from()[tp.partition()] < r.to()[tp.partition()]) {
                        r.complete()[0] = false; // older than retention
                    }
                }
                consumer.seek(tp, Math.max(start[tp.partition()], first));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> open = new ArrayList<>(needed);
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Notification> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end[record.partition()] && record.value() != null) {
                        match(record, byKey);
                    }
                }
                open.removeIf(tp -> {
                    if (consumer.position(tp) >= end[tp.partition()]) {
                        consumer.pause(List.of(tp));
                        return true;
                    }
                    return false;
                });
            }
            for (TopicPartition tp : open) {
                for (Request r : batch) {
                    if (r.from()[tp.partition()] < r.to()[tp.partition()]) {
                        r.complete()[0] = false; // timed out
                    }
                }
            }
        }
    }

    private void match(ConsumerRecord<String, Notification> record, Map<String, List<Request>> byKey) {
        Notification n = record.value();
        byte[] frame = null;
        Set<Request> matched = Collections.newSetFromMap(new IdentityHashMap<>());
        int p = record.partition();
        for (String key : RecoveryWindow.keys(n.getTarget())) {
            for (Request r : byKey.getOrDefault(key, List.of())) {
                if (record.offset() >= r.from()[p] && record.offset() < r.to()[p] && matched.add(r)) {
                    if (frame == null) {
                        try {
                            frame = frames.notification(n);
                        }
                        catch (PoisonRecordException ex) {
                            return;
                        }
                    }
                    long expiresAt = n.getExpiresAt() == null ? Long.MAX_VALUE : n.getExpiresAt().toEpochMilli();
                    r.found().add(new RecoveryWindow.Entry(p, record.offset(), record.timestamp(), expiresAt, frame));
                }
            }
        }
    }

    @Override
    public void destroy() {
        running = false;
        worker.interrupt();
    }
}

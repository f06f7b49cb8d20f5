package dev.tidings.gateway.resume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.protocol.PoisonRecordException;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.TopicLayout;
import dev.tidings.schema.TopicScan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 * arrive together are served by one pass: the reader seeks each partition once to the earliest
 * offset any of them needs and hands each record to every request it is addressed to (looked up
 * by target, not scanned), so a reconnect storm of thousands of clients costs one pass over the
 * topic, not thousands.
 *
 * <p>Every cost is bounded, whatever the cursor: a resume reads at most
 * {@code tidings.gateway.max-catch-up-records} records (the most recent ones of its gap) and keeps
 * at most {@code tidings.gateway.max-replay} matches (the most recent ones) while it reads; a pass
 * holds at most {@code tidings.gateway.catch-up-buffer-bytes} of matches — past it, the pass goes on
 * for the first half of its requests and queues the rest for the next — and a new pass starts only
 * once the matches of earlier ones not yet sent fit that budget again. The fetches are small, and
 * a pass gives up after {@code tidings.gateway.catch-up-timeout}. One reader thread per node.
 *
 * <p>One class, past the usual size, because its bounds are one mechanism: the per-resume trim, the
 * per-pass byte budget (and the deferral it causes) and the node-wide outstanding bytes each read
 * what the others wrote; the Kafka read itself is {@link dev.tidings.schema.TopicScan}'s.
 *
 * <p>Thread-safe: requests go through a concurrent deque to the single reader thread, which owns
 * the Kafka consumer it creates per pass; the outstanding byte count is guarded by this object.
 */
@Component
public class CatchUpReader implements DisposableBean {

    /** Receives the records found for one request, whether the whole gap could be read, and its budget. */
    @FunctionalInterface
    public interface Callback {
        void done(List<RecoveryWindow.Entry> entries, boolean complete, Release release);
    }

    /**
     * The catch-up buffer bytes a request's matches hold until they are sent: given back frame by
     * frame as the replay sends them, and the rest when it ends. Confined to the session's event loop.
     */
    public static final class Release {

        static final Release NONE = new Release(null, 0);

        private final CatchUpReader reader;
        private long held;

        private Release(CatchUpReader reader, long held) {
            this.reader = reader;
            this.held = held;
        }

        /** A frame of {@code bytes} was sent. */
        void sent(int bytes) {
            give(Math.min(held, bytes));
        }

        /** The replay ended: everything is given back. */
        void rest() {
            give(held);
        }

        private void give(long bytes) {
            if (reader != null && bytes > 0) {
                held -= bytes;
                reader.giveBack(bytes);
            }
        }
    }

    private static final class Request {
        final Principal principal;
        final long[] from;
        final long[] to;
        final Callback callback;
        final List<RecoveryWindow.Entry> found = new ArrayList<>();
        long bytes;
        boolean complete;

        Request(Principal principal, long[] from, long[] to, Callback callback, boolean complete) {
            this.principal = principal;
            this.from = from;
            this.to = to;
            this.callback = callback;
            this.complete = complete;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(CatchUpReader.class);

    private final BlockingDeque<Request> pending = new LinkedBlockingDeque<>();
    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final Duration timeout;
    private final FrameEncoder frames;
    private final int maxReplay;
    private final long maxRecords;
    private final long bufferBytes;
    private final Counter trimmed;
    private final Counter deferred;
    private final Thread worker;
    private volatile boolean running = true;
    /** Bytes of matches handed to sessions and not yet sent; guarded by this. */
    private long outstanding;

    CatchUpReader(DefaultKafkaConsumerFactory<String, Notification> gatewayConsumerFactory,
            GatewayProperties properties, TopicLayout layout, FrameEncoder frames, MeterRegistry meters) {
        Map<String, Object> config = TopicScan.readerConfig(gatewayConsumerFactory.getConfigurationProperties(),
                properties.consumerGroup() + "-catch-up");
        // Small fetches: a pass over a large topic holds a few MiB of records at a time, not 50.
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // A pass reads records that are there: each fetch is answered at once with what a partition holds,
        // and one that finds nothing (the pass's last offsets) waits 5 ms, not the live consumer's 500.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        this.consumerConfig = config;
        this.topic = layout.topic();
        this.timeout = properties.catchUpTimeout();
        this.frames = frames;
        this.maxReplay = properties.maxReplay();
        this.maxRecords = properties.maxCatchUpRecords();
        this.bufferBytes = properties.catchUpBufferBytes();
        this.trimmed = Counter.builder("tidings.gateway.catch.up.trimmed")
                .description("Resumes whose gap was longer than tidings.gateway.max-catch-up-records").register(meters);
        this.deferred = Counter.builder("tidings.gateway.catch.up.deferred")
                .description("Resumes moved to a later pass to keep a pass within tidings.gateway.catch-up-buffer-bytes")
                .register(meters);
        Gauge.builder("tidings.gateway.catch.up.outstanding.bytes", this, CatchUpReader::outstanding).baseUnit("bytes")
                .description("Bytes of records read from Kafka for resumes and not yet sent").register(meters);
        Gauge.builder("tidings.gateway.catch.up.pending", pending, BlockingDeque::size)
                .description("Resumes waiting for a catch-up pass").register(meters);
        this.worker = new Thread(this::loop, "resume-catch-up");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Reads, asynchronously, the records addressed to the principal in {@code [from, to)} per
     * partition: only the most recent {@code max-catch-up-records} of that range (the request is
     * then incomplete).
     */
    public void read(Principal principal, long[] from, long[] to, Callback callback) {
        long[] start = from.clone();
        long total = 0;
        for (int p = 0; p < from.length; p++) {
            total += Math.max(0, to[p] - from[p]);
        }
        boolean complete = true;
        if (total > maxRecords) {
            // Keep each partition's most recent share of the budget.
            for (int p = 0; p < from.length; p++) {
                long gap = Math.max(0, to[p] - from[p]);
                long share = (long) Math.floor((double) maxRecords * gap / total);
                start[p] = Math.max(from[p], to[p] - share);
            }
            complete = false;
            trimmed.increment();
        }
        pending.add(new Request(principal, start, to, callback, complete));
    }

    private synchronized long outstanding() {
        return outstanding;
    }

    private synchronized void giveBack(long bytes) {
        outstanding -= bytes;
        if (outstanding <= bufferBytes) {
            notifyAll();
        }
    }

    /** Waits (bounded by the catch-up timeout) until the matches not yet sent fit the budget. */
    private synchronized void awaitBuffer() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outstanding > bufferBytes && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
    }

    private void loop() {
        while (running) {
            List<Request> batch = new ArrayList<>();
            try {
                batch.add(pending.take());
                awaitBuffer();
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
                batch.forEach(r -> r.complete = false);
            }
            for (Request request : batch) {
                Release release;
                synchronized (this) {
                    outstanding += request.bytes;
                    release = new Release(this, request.bytes);
                }
                try {
                    request.callback.done(request.found, request.complete, release);
                }
                catch (RuntimeException ex) {
                    log.warn("Resume callback failed", ex);
                    release.rest();
                }
            }
        }
    }

    private void serve(List<Request> batch) {
        int partitions = batch.get(0).from.length;
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        for (Request r : batch) {
            for (int p = 0; p < partitions; p++) {
                if (r.from[p] < r.to[p]) {
                    TopicPartition tp = new TopicPartition(topic, p);
                    start.merge(tp, r.from[p], Math::min);
                    end.merge(tp, r.to[p], Math::max);
                }
            }
        }
        if (start.isEmpty()) {
            return;
        }
        Pass pass = new Pass(batch);
        TopicScan.Result result;
        try (KafkaConsumer<String, Notification> consumer = new KafkaConsumer<>(consumerConfig)) {
            result = TopicScan.scan(consumer, start, end, timeout, () -> !running, pass::visit);
        }
        for (Request r : batch) {
            result.truncated().forEach((tp, first) -> {
                if (r.from[tp.partition()] < first && r.from[tp.partition()] < r.to[tp.partition()]) {
                    r.complete = false; // older than retention
                }
            });
            for (TopicPartition tp : result.unfinished()) {
                if (r.from[tp.partition()] < r.to[tp.partition()]) {
                    r.complete = false; // timed out
                }
            }
        }
    }

    /** One pass's requests, looked up by the addresses they listen on. */
    private final class Pass {

        private final List<Request> batch;
        private Map<Address, List<Request>> byAddress;
        private long held;

        Pass(List<Request> batch) {
            this.batch = batch;
            this.byAddress = index(batch);
        }

        boolean visit(ConsumerRecord<String, Notification> record) {
            if (record.value() != null) {
                held += match(record, byAddress);
                if (held > bufferBytes && batch.size() > 1) {
                    held = deferHalf(batch);
                    byAddress = index(batch);
                }
            }
            return true;
        }
    }

    /**
     * Moves the later half of the pass's requests back to the front of the queue, dropping what they
     * found so far, and answers what the rest hold.
     */
    private long deferHalf(List<Request> batch) {
        List<Request> later = new ArrayList<>(batch.subList(batch.size() / 2, batch.size()));
        batch.subList(batch.size() / 2, batch.size()).clear();
        for (int i = later.size() - 1; i >= 0; i--) {
            Request r = later.get(i);
            r.found.clear();
            r.bytes = 0;
            pending.addFirst(r);
        }
        deferred.increment(later.size());
        long held = 0;
        for (Request r : batch) {
            held += r.bytes;
        }
        return held;
    }

    private static Map<Address, List<Request>> index(List<Request> batch) {
        Map<Address, List<Request>> byAddress = new HashMap<>();
        for (Request r : batch) {
            for (Address address : Address.listenedBy(r.principal.userId(), r.principal.groups())) {
                byAddress.computeIfAbsent(address, k -> new ArrayList<>()).add(r);
            }
        }
        return byAddress;
    }

    /** Hands the record to every request it is addressed to; answers the bytes that added to the pass. */
    private long match(ConsumerRecord<String, Notification> record, Map<Address, List<Request>> byAddress) {
        Notification n = record.value();
        byte[] frame = null;
        long added = 0;
        Set<Request> matched = Collections.newSetFromMap(new IdentityHashMap<>());
        int p = record.partition();
        for (Address address : Address.of(n.getTarget())) {
            for (Request r : byAddress.getOrDefault(address, List.of())) {
                if (record.offset() >= r.from[p] && record.offset() < r.to[p] && matched.add(r)) {
                    if (frame == null) {
                        try {
                            frame = frames.notification(n);
                        }
                        catch (PoisonRecordException ex) {
                            return added;
                        }
                    }
                    long expiresAt = n.getExpiresAt() == null ? Long.MAX_VALUE : n.getExpiresAt().toEpochMilli();
                    r.found.add(new RecoveryWindow.Entry(p, record.offset(), record.timestamp(), record.timestamp(),
                            expiresAt, frame));
                    r.bytes += frame.length;
                    added += frame.length;
                    if (r.found.size() >= 2 * maxReplay) {
                        added -= keepMostRecent(r);
                    }
                }
            }
        }
        return added;
    }

    /** Drops all but the request's {@code max-replay} most recent matches; answers the bytes freed. */
    private long keepMostRecent(Request r) {
        r.found.sort(ResumeService.MOST_RECENT_FIRST);
        long freed = 0;
        for (RecoveryWindow.Entry e : r.found.subList(maxReplay, r.found.size())) {
            freed += e.frame().length;
        }
        r.found.subList(maxReplay, r.found.size()).clear();
        r.bytes -= freed;
        r.complete = false;
        return freed;
    }

    @Override
    public void destroy() {
        running = false;
        worker.interrupt();
    }
}

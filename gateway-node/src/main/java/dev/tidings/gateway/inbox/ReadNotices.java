package dev.tidings.gateway.inbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tidings.gateway.session.ClientSession;
import dev.tidings.gateway.session.SessionIndex;
import dev.tidings.schema.Address;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code read} frames to this gateway's sessions of a user who marked items read on any gateway:
 * reads every partition of the read-state topic from its end (no group: every gateway sees every notice)
 * and hands each {@code notice} record's frame ({@link ReadMarks}) to the user's sessions here.
 *
 * <p>Thread-safe: one thread of its own polls; {@link #close} may be called from any thread.
 */
final class ReadNotices implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadNotices.class);

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final SessionIndex sessions;
    private final Thread thread;
    private volatile boolean closed;

    ReadNotices(Map<String, Object> consumerConfig, String topic, SessionIndex sessions) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // This thread may look for the topic before the inbox has created it (InboxStreams): a broker that
        // creates topics on demand would create it with its default partition count (1 on a dev broker),
        // and a user's read marks would no longer land in the partition of the user's items.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        this.topic = topic;
        this.sessions = sessions;
        this.thread = new Thread(this::run, "inbox-read-notices");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (!closed) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    deliver(record);
                }
            }
        }
        catch (WakeupException ex) {
            // closing
        }
        catch (RuntimeException ex) {
            log.error("Read notices stopped: sessions get no read frames from this gateway", ex);
        }
        finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (!closed) {
            try {
                var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
                }
            }
            catch (TimeoutException ex) {
                // The broker is not up yet, or the inbox has not created the topic yet: ask again.
                log.debug("Waiting for the read-state topic {}: {}", topic, ex.getMessage());
            }
            try {
                Thread.sleep(500);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private void deliver(ConsumerRecord<String, String> record) {
        ReadMarks.Key key = ReadMarks.Key.parse(record.key());
        if (key == null || !ReadMarks.NOTICE.equals(key.kind()) || record.value() == null) {
            return;
        }
        Address user = Address.user(key.user().substring("user:".length()));
        for (ClientSession session : sessions.at(user)) {
            session.send(record.value());
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
    }
}

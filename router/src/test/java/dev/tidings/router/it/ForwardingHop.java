package dev.tidings.router.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A consume-produce loop that copies every record of one topic to another with one of the two
 * delivery protocols a router can use, and no routing work, so that a benchmark can tell what each
 * protocol costs in latency apart from what routing costs:
 * <ul>
 * <li>{@link Guarantee#AT_LEAST_ONCE}: the router's protocol — poll, send the batch, flush, wait for
 *     every acknowledgement, commit the offsets asynchronously;
 * <li>{@link Guarantee#EXACTLY_ONCE}: Kafka transactions — poll, begin, send the batch, add the
 *     offsets to the transaction, commit it. Its output is only visible to a {@code read_committed}
 *     reader once the transaction commits, which is the latency this protocol adds.
 * </ul>
 */
final class ForwardingHop implements AutoCloseable {

    enum Guarantee { AT_LEAST_ONCE, EXACTLY_ONCE }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Guarantee guarantee;
    private final String to;
    private final Thread thread;
    private volatile boolean running = true;
    /** Per batch forwarded: its records, and the nanoseconds from its first send to its commit returning. */
    private final List<long[]> batches = java.util.Collections.synchronizedList(new ArrayList<>());

    ForwardingHop(String from, String to, Guarantee guarantee) {
        this.guarantee = guarantee;
        this.to = to;
        String group = "forwarding-hop-" + UUID.randomUUID();
        Map<String, Object> consumerConfig = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
        Map<String, Object> producerConfig = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
        }
        this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            producer.initTransactions();
        }
        consumer.subscribe(List.of(from));
        this.thread = new Thread(this::run, "forwarding-hop-" + guarantee);
    }

    /** Starts forwarding once the consumer holds every partition of the source, from its end. */
    ForwardingHop start() {
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.assignment().forEach(consumer::position);
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    forward(records);
                }
            }
        }
        catch (WakeupException ex) {
            // close() was called
        }
    }

    private void forward(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> of = records.records(partition);
            next.put(partition, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
        }
        long begin = System.nanoTime();
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            producer.beginTransaction();
            records.forEach(record -> producer.send(new ProducerRecord<>(to, record.key(), record.value())));
            producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
            producer.commitTransaction();
            batches.add(new long[] { records.count(), System.nanoTime() - begin });
            return;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.count());
        records.forEach(record -> sends.add(producer.send(new ProducerRecord<>(to, record.key(), record.value()))));
        producer.flush();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("a forwarded record was not acknowledged", ex);
        }
        consumer.commitAsync(next, null);
        batches.add(new long[] { records.count(), System.nanoTime() - begin });
    }

    /** The batches forwarded since the last call, each as {records, nanoseconds from its first send to its commit}. */
    List<long[]> takeBatches() {
        synchronized (batches) {
            List<long[]> taken = new ArrayList<>(batches);
            batches.clear();
            return taken;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close();
        producer.close();
    }
}

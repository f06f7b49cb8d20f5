package dev.tidings.router.engine;

import dev.tidings.router.decode.RouteFailure;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * The dead-letter record of a source record a route cannot route: the original key, value and
 * headers, plus spring-kafka's origin and exception headers (as the gateways' dead letters carry)
 * and {@value #ROUTE} and {@value #REASON}.
 */
public final class DeadLetters {

    /** Header: the route that dead-lettered the record. */
    public static final String ROUTE = "tidings-router-route";

    /** Header: the reason code of {@link RouteFailure#reason()}. */
    public static final String REASON = "tidings-router-reason";

    private DeadLetters() {
    }

    static ProducerRecord<byte[], byte[]> of(String deadLetterTopic, String route, ConsumerRecord<byte[], byte[]> record,
            RouteFailure failure) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(ROUTE, utf8(route));
        headers.add(REASON, utf8(failure.reason()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(String.valueOf(failure.getMessage())));
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(RouteFailure.class.getName()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(record.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(record.offset()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP, ByteBuffer.allocate(8).putLong(record.timestamp()).array());
        return new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

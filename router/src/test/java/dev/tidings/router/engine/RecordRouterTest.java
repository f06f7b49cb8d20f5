package dev.tidings.router.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.tidings.router.decode.JsonValueDecoder;
import dev.tidings.router.decode.TidingsAvroDecoder;
import dev.tidings.router.routes.Route;
import dev.tidings.router.routes.RoutesParser;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationCodec;
import dev.tidings.schema.TargetType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class RecordRouterTest {

    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void aUserRouteWritesOneRecordPerIdKeyedAsThePublisherKeysThem() {
        RecordRouter router = router("""
                event: grade.published
                target: {type: user, ids: "$.students"}
                expires-after: 1h
                """);

        List<ProducerRecord<byte[], byte[]>> out = routed(router.route(record("""
                {"students":["alice","bob","alice"],"course":"math"}""")));

        assertThat(out).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("user:alice", "user:bob");
        assertThat(out).allSatisfy(r -> assertThat(r.topic()).isEqualTo("tidings.notifications"));
        Notification first = decode(out.get(0));
        Notification second = decode(out.get(1));
        assertThat(first.getTarget().getType()).isEqualTo(TargetType.USER);
        assertThat(first.getTarget().getIds()).containsExactly("alice");
        assertThat(second.getTarget().getIds()).containsExactly("bob");
        assertThat(first.getId()).as("one notification id for every target").isEqualTo(second.getId())
                .isEqualTo(RecordRouter.derivedId("r", "school.grades", 2, 42));
        assertThat(first.getEvent()).isEqualTo("grade.published");
        assertThat(first.getPayload()).isEqualTo("{\"students\":[\"alice\",\"bob\",\"alice\"],\"course\":\"math\"}");
        assertThat(first.getPublishedAt()).isEqualTo(NOW);
        assertThat(first.getExpiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(first.getSource()).isEqualTo("router:r");
    }

    @Test
    void routingTheSameRecordTwiceWritesTheSameIdAndAnotherOffsetAnother() {
        RecordRouter router = router("""
                event: e
                target: {type: broadcast}
                """);

        String once = decode(routed(router.route(record("{}"))).get(0)).getId();
        String again = decode(routed(router.route(record("{}"))).get(0)).getId();
        String next = decode(routed(router.route(new ConsumerRecord<>("school.grades", 2, 43, null,
                "{}".getBytes(StandardCharsets.UTF_8)))).get(0)).getId();

        assertThat(again).isEqualTo(once);
        assertThat(next).isNotEqualTo(once);
    }

    @Test
    void aBroadcastIsOneRecordKeyedBroadcast() {
        List<ProducerRecord<byte[], byte[]>> out = routed(router("""
                event: e
                target: {type: broadcast}
                """).route(record("{\"a\":1}")));

        assertThat(out).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("broadcast");
            assertThat(decode(r).getTarget().getIds()).isEmpty();
        });
    }

    @Test
    void theFilterLeavesOutRecordsItDoesNotMatch() {
        RecordRouter router = router("""
                filter: "$.status == 'final' && $.score >= 10"
                event: e
                target: {type: broadcast}
                """);

        assertThat(router.route(record("{\"status\":\"draft\",\"score\":12}"))).isInstanceOf(Outcome.Filtered.class);
        assertThat(router.route(record("{\"status\":\"final\",\"score\":9}"))).isInstanceOf(Outcome.Filtered.class);
        assertThat(router.route(record("{\"status\":\"final\",\"score\":10}"))).isInstanceOf(Outcome.Routed.class);
    }

    @Test
    void theFilterMayTestTheRecordsKeyAndHeadersBesideItsValue() {
        RecordRouter router = router("""
                filter: "$.status == 'final' && header:tenant == 'acme' && key != 'customer-9'"
                event: e
                target: {type: broadcast}
                """);
        ConsumerRecord<byte[], byte[]> acme = record("{\"status\":\"final\"}");
        acme.headers().add(new RecordHeader("tenant", "other".getBytes(StandardCharsets.UTF_8)));
        acme.headers().add(new RecordHeader("tenant", "acme".getBytes(StandardCharsets.UTF_8)));
        ConsumerRecord<byte[], byte[]> other = record("{\"status\":\"final\"}");
        other.headers().add(new RecordHeader("tenant", "other".getBytes(StandardCharsets.UTF_8)));
        ConsumerRecord<byte[], byte[]> noHeader = record("{\"status\":\"final\"}");
        ConsumerRecord<byte[], byte[]> excludedKey = new ConsumerRecord<>("t", 0, 0,
                "customer-9".getBytes(StandardCharsets.UTF_8), "{\"status\":\"final\"}".getBytes(StandardCharsets.UTF_8));
        excludedKey.headers().add(new RecordHeader("tenant", "acme".getBytes(StandardCharsets.UTF_8)));

        assertThat(router.route(acme)).isInstanceOf(Outcome.Routed.class);
        assertThat(router.route(other)).isInstanceOf(Outcome.Filtered.class);
        assertThat(router.route(noHeader)).isInstanceOf(Outcome.Filtered.class);
        assertThat(router.route(excludedKey)).isInstanceOf(Outcome.Filtered.class);
    }

    @Test
    void eventsIdsAndPayloadMembersComeFromTheValueTheKeyAndHeaders() {
        RecordRouter router = router("""
                event: "shop.${$.kind}"
                target: {type: group, ids: "header:tenant"}
                payload:
                  order: "$.order.id"
                  customer: key
                id: "$.eventId"
                """);
        ConsumerRecord<byte[], byte[]> record = record("""
                {"kind":"shipped","eventId":"ev-7","order":{"id":17}}""");
        record.headers().add(new RecordHeader("tenant", "acme".getBytes(StandardCharsets.UTF_8)));

        Notification n = decode(routed(router.route(record)).get(0));

        assertThat(n.getEvent()).isEqualTo("shop.shipped");
        assertThat(n.getTarget().getType()).isEqualTo(TargetType.GROUP);
        assertThat(n.getTarget().getIds()).containsExactly("acme");
        assertThat(n.getPayload()).isEqualTo("{\"order\":17,\"customer\":\"customer-1\"}");
        assertThat(n.getId()).isEqualTo("ev-7");
    }

    @Test
    void recordsThatCannotBeRoutedAreDeadLetteredWithTheirReason() {
        RecordRouter router = router("""
                event: "${$.type}"
                target: {type: user, ids: "$.userId"}
                payload: "$.data"
                """);

        assertThat(reason(router.route(record("not json")))).isEqualTo("undecodable");
        assertThat(reason(router.route(record("{\"type\":\"e\",\"data\":{}}")))).isEqualTo("missing-field");
        assertThat(reason(router.route(record("{\"type\":\"e\",\"userId\":\"u\",\"data\":[1]}"))))
                .isEqualTo("bad-payload");
        assertThat(reason(router.route(record("{\"type\":\"bad event\",\"userId\":\"u\",\"data\":{}}"))))
                .isEqualTo("bad-event");
        assertThat(reason(router.route(record("{\"type\":\"e\",\"userId\":\"  \",\"data\":{}}"))))
                .isEqualTo("bad-target");
        assertThat(reason(router.route(record("{\"type\":\"e\",\"userId\":[],\"data\":{}}"))))
                .isEqualTo("bad-target");
        assertThat(reason(router.route(record("{\"type\":\"e\",\"userId\":\"u\",\"data\":{\"x\":\""
                + "y".repeat(70_000) + "\"}}")))).isEqualTo("payload-too-large");
    }

    @Test
    void tidingsAvroValuesAreReadThroughTheirJsonView() {
        RecordRouter router = new RecordRouter(route("""
                event: "copy.${$.event}"
                target: {type: user, ids: "$.target.ids"}
                payload: "$.payload"
                """), new TidingsAvroDecoder(), "tidings.notifications", 65536, Clock.fixed(NOW, ZoneOffset.UTC));
        Notification original = Notification.newBuilder().setId("n1").setEvent("dm")
                .setTarget(new dev.tidings.schema.Target(TargetType.USER, List.of("carol")))
                .setPayload("{\"text\":\"hi\"}").setPublishedAt(NOW).setExpiresAt(null).setSource("svc")
                .setReplayOf(null).build();

        Notification copy = decode(routed(router.route(new ConsumerRecord<>("other.notifications", 0, 0, null,
                NotificationCodec.get().encode(original)))).get(0));

        assertThat(copy.getEvent()).isEqualTo("copy.dm");
        assertThat(copy.getTarget().getIds()).containsExactly("carol");
        assertThat(copy.getPayload()).isEqualTo("{\"text\":\"hi\"}");
    }

    static RecordRouter router(String routeBody) {
        return new RecordRouter(route(routeBody), new JsonValueDecoder(), "tidings.notifications", 65536,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Route route(String routeBody) {
        String yaml = "routes:\n  - name: r\n    topic: school.grades\n"
                + routeBody.indent(4);
        return RoutesParser.parse(yaml, "test.yaml").routes().get(0);
    }

    static ConsumerRecord<byte[], byte[]> record(String json) {
        return new ConsumerRecord<>("school.grades", 2, 42, "customer-1".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    static List<ProducerRecord<byte[], byte[]>> routed(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Routed.class);
        return ((Outcome.Routed) outcome).notifications();
    }

    static String reason(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.DeadLettered.class);
        return ((Outcome.DeadLettered) outcome).failure().reason();
    }

    static Notification decode(ProducerRecord<byte[], byte[]> record) {
        return NotificationCodec.get().decode(record.value());
    }
}

package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class NotificationsTest {

    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void aGroupNotificationIsOneRecordPerDistinctGroupKeyedAsThePublisherKeysThem() {
        List<ProducerRecord<String, Notification>> records = Notifications.toGroup("Class:201901", "Class:201902",
                        "Class:201901")
                .event("grade.published").payload("{\"course\":\"math\"}").source("grades-service")
                .expiresAfter(Duration.ofHours(1)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).records();

        assertThat(records).extracting(ProducerRecord::key).containsExactly("group:Class:201901", "group:Class:201902");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo(Topics.NOTIFICATIONS);
            assertThat(r.value().getTarget().getType()).isEqualTo(TargetType.GROUP);
            assertThat(r.value().getTarget().getIds()).containsExactly(r.key().substring("group:".length()));
            assertThat(r.value().getEvent()).isEqualTo("grade.published");
            assertThat(r.value().getPayload()).isEqualTo("{\"course\":\"math\"}");
            assertThat(r.value().getSource()).isEqualTo("grades-service");
            assertThat(r.value().getPublishedAt()).isEqualTo(NOW);
            assertThat(r.value().getExpiresAt()).isEqualTo(NOW.plusSeconds(3600));
        });
        assertThat(records.get(0).value().getId()).as("one id for every record").isEqualTo(records.get(1).value().getId());
    }

    @Test
    void theRecordsEncodeAndDecodeWithTheSchemasCodec() {
        Notification written = Notifications.toUser("alice").event("dm").payload("{}").id("n-1").records().get(0)
                .value();

        assertThat(NotificationCodec.get().decode(new NotificationSerializer().serialize("t", written)))
                .isEqualTo(written);
    }

    @Test
    void aBroadcastIsOneRecordKeyedBroadcastWithoutIds() {
        List<ProducerRecord<String, Notification>> records = Notifications.toEveryone().event("maintenance")
                .payload("{\"at\":\"22:00\"}").topic("other.notifications").records();

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(Address.BROADCAST.routingKey());
            assertThat(r.topic()).isEqualTo("other.notifications");
            assertThat(r.value().getTarget().getIds()).isEmpty();
            assertThat(r.value().getExpiresAt()).isNull();
        });
    }

    @Test
    void whatThePublishersValidatorRefusesTheBuilderRefusesNamingTheField() {
        assertThat(field(() -> Notifications.toUser("alice").payload("{}").records())).isEqualTo("event");
        assertThat(field(() -> Notifications.toUser("alice").event("bad event").payload("{}").records()))
                .isEqualTo("event");
        assertThat(field(() -> Notifications.toUser("alice").event("e").records())).isEqualTo("payload");
        assertThat(field(() -> Notifications.toUser("alice").event("e").payload("[1,2]").records()))
                .isEqualTo("payload");
        assertThat(field(() -> Notifications.toUser("alice").event("e").payload("{\"a\":1} {}").records()))
                .isEqualTo("payload");
        assertThat(field(() -> Notifications.toUser("alice").event("e").payload("{\"a\":").records()))
                .isEqualTo("payload");
        assertThat(field(() -> Notifications.toUser("alice").event("e").payload("{\"a\":\"" + "x".repeat(70_000)
                + "\"}").records())).isEqualTo("payload");
        assertThat(field(() -> Notifications.toUser().event("e").payload("{}").records())).isEqualTo("target.ids");
        assertThat(field(() -> Notifications.toUser("alice", " ").event("e").payload("{}").records()))
                .isEqualTo("target.ids[1]");
        assertThat(field(() -> Notifications.toUsers(Collections.nCopies(1001, "u")).event("e").payload("{}")
                .records())).isEqualTo("target.ids");
        assertThat(field(() -> Notifications.toUser("alice").event("e").payload("{}").id("has space").records()))
                .isEqualTo("id");
        assertThat(field(() -> Notifications.toUser("alice").event("e").payload("{}")
                .expiresAfter(Duration.ofDays(8)).records())).isEqualTo("expiresAfter");
    }

    private static String field(Supplier<?> build) {
        InvalidNotificationException ex = catchThrowableOfType(InvalidNotificationException.class, build::get);
        assertThat(ex).as("refused").isNotNull();
        return ex.field();
    }
}

package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the client puts in a request body, and what it refuses before sending anything. */
class PublicationTest {

    // Nothing listens there: no test here sends a request.
    final Tidings tidings = Tidings.builder().baseUrl("http://127.0.0.1:1/").token("t")
            .retryPolicy(RetryPolicy.NONE).build();

    record Grade(String course, String grade) {
    }

    @Test
    void theBodyHoldsTheContractsFieldsWithAnIdMadeByTheClient() {
        Publication.Frozen frozen = tidings.toGroups("Class:201901", "Class:201902").event("grade.published")
                .payload(new Grade("math", "A")).ttl(Duration.ofMillis(1500)).freeze();

        assertThat(frozen.body().toString()).isEqualTo("{\"id\":\"" + frozen.id() + "\",\"target\":{\"type\":\"group\","
                + "\"ids\":[\"Class:201901\",\"Class:201902\"]},\"event\":\"grade.published\","
                + "\"payload\":{\"course\":\"math\",\"grade\":\"A\"},\"ttlSeconds\":2}");
    }

    @Test
    void aBroadcastHasNoIdsAndTheCallersIdIsKept() {
        Publication.Frozen frozen = tidings.broadcast().id("maintenance-7").event("maintenance").payloadJson("{}").freeze();

        assertThat(frozen.id()).isEqualTo("maintenance-7");
        assertThat(frozen.body().get("target").toString()).isEqualTo("{\"type\":\"broadcast\"}");
    }

    @Test
    void eachSendWithoutAnIdIsANewNotification() {
        Publication publication = tidings.toUser("alice").event("x").payloadJson("{}");

        assertThat(publication.freeze().id()).isNotEqualTo(publication.freeze().id());
    }

    @Test
    void aPayloadIsWrittenWhenGivenSoLaterChangesAreNotSent() {
        java.util.HashMap<String, Object> payload = new java.util.HashMap<>(Map.of("n", 1));
        Publication publication = tidings.toUser("alice").event("x").payload(payload);
        payload.put("n", 2);

        assertThat(publication.freeze().body().get("payload").toString()).isEqualTo("{\"n\":1}");
    }

    @Test
    void aPayloadThatIsNotAJsonObjectIsRefused() {
        assertThatThrownBy(() -> tidings.toUser("alice").payload(List.of(1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> tidings.toUser("alice").payloadJson("[1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> tidings.toUser("alice").payloadJson("{"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("well-formed");
    }

    @Test
    void aNotificationWithoutEventOrPayloadIsRefusedBeforeItIsSent() {
        assertThatThrownBy(() -> tidings.toUser("alice").payloadJson("{}").send())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("event");
        assertThatThrownBy(() -> tidings.toUser("alice").event("x").send())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("payload");
    }

    @Test
    void aTtlMustBePositive() {
        assertThatThrownBy(() -> tidings.toUser("alice").ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noIdsForUsersOrGroupsIsRefused() {
        assertThatThrownBy(() -> tidings.toUsers()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tidings.toGroups(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyBatchIsAnsweredWithoutARequest() {
        BatchResult result = tidings.batch().send();

        assertThat(result.size()).isZero();
        assertThat(result.allAccepted()).isTrue();
    }

    @Test
    void aClientNeedsAnAbsoluteUrlAndAToken() {
        assertThatThrownBy(() -> Tidings.builder().baseUrl("tidings.example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tidings.builder().baseUrl("http://127.0.0.1:8080").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("token");
        assertThatThrownBy(() -> Tidings.builder().token(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(tidings.baseUrl()).hasToString("http://127.0.0.1:1");
    }
}

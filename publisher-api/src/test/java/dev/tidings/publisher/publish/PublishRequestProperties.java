package dev.tidings.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Any body a caller can post is a 400, 413, 422 or a notice that obeys every rule; never a 500. */
class PublishRequestProperties {

    @Property
    void arbitraryTextIsRejectedOrValidButNeverAnUnexpectedError(@ForAll @StringLength(max = 400) String body) {
        assertThat(PublishRequestHarness.publish(body)).isNotNull();
        PublishRequestHarness.batch(body);
    }

    @Property
    void arbitraryRequestShapedJsonIsRejectedOrValidButNeverAnUnexpectedError(@ForAll("requests") String body) {
        assertThat(PublishRequestHarness.publish(body)).isNotNull();
        PublishRequestHarness.batch("{\"notifications\":[" + body + "," + body + "]}");
    }

    @Property(tries = 300)
    void wellFormedRequestsAreAccepted(@ForAll("validRequests") String body) {
        assertThat(PublishRequestHarness.publish(body)).as(body).isEqualTo(PublishRequestHarness.Outcome.ACCEPTED);
    }

    /** Objects with the request's member names and values of every JSON type, valid or not. */
    @Provide
    Arbitrary<String> requests() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("broadcast", "user", "group", "USER", "grade.published", "-bad", "", " "),
                Arbitraries.longs(), Arbitraries.doubles(), Arbitraries.of(true, false), Arbitraries.just(null));
        Arbitrary<Object> ids = Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(5).map(l -> (Object) l));
        Arbitrary<Object> target = Arbitraries.maps(Arbitraries.of("type", "ids", "other"), ids).ofMaxSize(3)
                .map(m -> (Object) m);
        Arbitrary<Object> payload = Arbitraries.oneOf(scalar,
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), scalar).ofMaxSize(4).map(m -> (Object) m),
                Arbitraries.strings().ofLength(1100).map(s -> (Object) Map.of("blob", s)));
        Arbitrary<Object> value = Arbitraries.oneOf(scalar, target, payload);
        return Arbitraries.maps(Arbitraries.of("id", "target", "event", "payload", "ttlSeconds", "extra"), value)
                .ofMaxSize(6)
                .map(m -> PublishRequestHarness.JSON.writeValueAsString(m));
    }

    @Provide
    Arbitrary<String> validRequests() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20);
        Arbitrary<Map<String, Object>> target = Arbitraries.oneOf(
                Arbitraries.just(Map.of("type", "broadcast")),
                name.list().ofMinSize(1).ofMaxSize(5).map(l -> Map.of("type", "user", "ids", l)),
                name.list().ofMinSize(1).ofMaxSize(5).map(l -> Map.of("type", "group", "ids", l)));
        return net.jqwik.api.Combinators.combine(target, name, name, Arbitraries.longs().between(1, 3600))
                .as((t, event, key, ttl) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("target", t);
                    body.put("event", "e." + event);
                    body.put("payload", Map.of(key, List.of(1, "two", Map.of())));
                    body.put("ttlSeconds", ttl);
                    return PublishRequestHarness.JSON.writeValueAsString(body);
                });
    }
}

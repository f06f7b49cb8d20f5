package dev.tidings.router.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.tidings.schema.TargetType;
import org.junit.jupiter.api.Test;

class RoutesParserTest {

    static final String ISSUE_EXAMPLE = """
            routes:
              - name: grades
                topic: school.grades
                format: json
                filter: "$.status == 'final'"
                event: grade.published
                target:
                  type: user
                  ids: "$.studentId"
                payload: "$"
                id: "$.eventId"
                expires-after: 1h
                start: latest
            schema-registry:
              url: http://127.0.0.1:8085
            """;

    @Test
    void theIssuesExampleReadsIntoOneRoute() {
        RoutesFile file = RoutesParser.parse(ISSUE_EXAMPLE, "routes.yaml");

        assertThat(file.routes()).hasSize(1);
        Route route = file.routes().get(0);
        assertThat(route.name()).isEqualTo("grades");
        assertThat(route.topics().matcher("school.grades").matches()).isTrue();
        assertThat(route.topics().matcher("schoolXgrades").matches()).as("a topic name is literal").isFalse();
        assertThat(route.format()).isEqualTo(Format.JSON);
        assertThat(route.filter()).isNotNull();
        assertThat(route.event().literal()).isTrue();
        assertThat(route.target().type()).isEqualTo(TargetType.USER);
        assertThat(route.target().ids()).hasToString("$['studentId']");
        assertThat(route.payload().whole()).hasToString("$");
        assertThat(route.id()).hasToString("$['eventId']");
        assertThat(route.expiresAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(route.start()).isEqualTo(StartPosition.LATEST);
        assertThat(route.deadLetterTopic()).isEqualTo("tidings.router.grades.dlq");
        assertThat(route.consumerGroup()).isEqualTo("tidings-router.grades");
        assertThat(file.schemaRegistry().url()).hasToString("http://127.0.0.1:8085");
    }

    @Test
    void defaultsAreJsonTheWholeValueAsPayloadAndStartAtLatest() {
        Route route = only("""
                routes:
                  - name: shipped
                    topic-pattern: "shop\\\\..*"
                    event: "${$.type}"
                    target: {type: broadcast}
                """);

        assertThat(route.format()).isEqualTo(Format.JSON);
        assertThat(route.topics().matcher("shop.orders").matches()).isTrue();
        assertThat(route.topics().matcher("school.grades").matches()).isFalse();
        assertThat(route.event().literal()).isFalse();
        assertThat(route.target().ids()).isNull();
        assertThat(route.payload().whole()).hasToString("$");
        assertThat(route.id()).isNull();
        assertThat(route.expiresAfter()).isNull();
        assertThat(route.start()).isEqualTo(StartPosition.LATEST);
    }

    @Test
    void keysHeadersMapPayloadsInstantsAndDeadLetterTopicsAreRead() {
        Route route = only("""
                routes:
                  - name: orders
                    topic: shop.orders
                    format: avro-tidings
                    event: "shop.${$.kind}"
                    target: {type: group, ids: "header:tenant"}
                    payload:
                      order: "$.orderId"
                      customer: key
                    id: key
                    expires-after: PT30M
                    start: 2026-01-31T08:00:00+01:00
                    dead-letter-topic: shop.orders.unroutable
                """);

        assertThat(route.format()).isEqualTo(Format.AVRO_TIDINGS);
        assertThat(route.event().parts()).hasSize(2).first().isEqualTo("shop.");
        assertThat(route.target().ids()).isEqualTo(new Selector.Header("tenant"));
        assertThat(route.payload().whole()).isNull();
        assertThat(route.payload().fields()).containsOnlyKeys("order", "customer");
        assertThat(route.payload().fields().get("customer")).isEqualTo(new Selector.Key());
        assertThat(route.id()).isEqualTo(new Selector.Key());
        assertThat(route.expiresAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(route.start()).isEqualTo(StartPosition.at(Instant.parse("2026-01-31T07:00:00Z")));
        assertThat(route.deadLetterTopic()).isEqualTo("shop.orders.unroutable");
    }

    @Test
    void anUnknownKeyIsReportedAtItsLineAndColumn() {
        List<RouteProblem> problems = problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    evnt: grade.published
                    event: grade.published
                    target: {type: broadcast}
                """);

        assertThat(problems).containsExactly(new RouteProblem(4, 5,
                "unknown key 'evnt' in a route (known: dead-letter-topic, event, expires-after, filter, format, id, "
                        + "name, payload, start, target, topic, topic-pattern)"));
    }

    @Test
    void aBadJsonPathIsReportedAtItsValue() {
        List<RouteProblem> problems = problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    event: grade.published
                    target:
                      type: user
                      ids: "$.students[?(@.x =="
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.column()).isEqualTo(12);
            assertThat(p.message()).startsWith("'ids' is not a valid JSONPath");
        });
    }

    @Test
    void anUnclosedBracketIsABadJsonPathThoughJaywayWouldDropIt() {
        assertThat(problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    event: grade.published
                    target: {type: user, ids: "$.studentId["}
                """)).singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(5);
                    assertThat(p.message()).contains("unbalanced brackets");
                });
        assertThat(PathSyntax.balanced("$['a]b'][?(@.x == ')')]")).isTrue();
        assertThat(PathSyntax.balanced("$[")).isFalse();
        assertThat(PathSyntax.balanced("$.a)")).isFalse();
    }

    @Test
    void aBadFilterIsReportedAtItsValue() {
        List<RouteProblem> problems = problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    filter: "$.status == "
                    event: grade.published
                    target: {type: broadcast}
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.column()).isEqualTo(13);
            assertThat(p.message()).startsWith("'filter' is not a valid JSONPath");
        });
    }

    @Test
    void aBadTargetTypeIsReported() {
        assertThat(problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    event: grade.published
                    target: {type: room, ids: "$.roomId"}
                """)).containsExactly(new RouteProblem(5, 20, "'type' must be one of broadcast, user, group"));
    }

    @Test
    void anAvroConfluentRouteWithoutARegistryIsReportedAtItsFormat() {
        assertThat(problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    format: avro-confluent
                    event: grade.published
                    target: {type: broadcast}
                """)).containsExactly(new RouteProblem(4, 13,
                "format avro-confluent needs a top-level 'schema-registry' with a 'url'"));
    }

    @Test
    void aDuplicateRouteNameIsReportedAtTheSecondOneNamingTheFirst() {
        assertThat(problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    event: grade.published
                    target: {type: broadcast}
                  - name: grades
                    topic: school.other
                    event: grade.published
                    target: {type: broadcast}
                """)).containsExactly(new RouteProblem(6, 11, "route name 'grades' is already used at line 2"));
    }

    @Test
    void everyMistakeOfTheFileIsReportedAtOnceInFileOrder() {
        List<RouteProblem> problems = problems("""
                routes:
                  - name: a
                    topic: school.grades
                    topic-pattern: "school.*"
                    event: "bad event!"
                    target: {type: user}
                    expires-after: soon
                    start: yesterday
                  - name: b
                    topic: "no spaces allowed"
                    format: protobuf
                    event: e
                    target: {type: broadcast, ids: "$.x"}
                    payload: "status"
                """);

        assertThat(problems).extracting(RouteProblem::line)
                .containsExactly(4, 5, 6, 7, 8, 10, 11, 13, 14);
    }

    @Test
    void missingRequiredKeysAreReportedAtTheirRoute() {
        assertThat(problems("""
                routes:
                  - name: grades
                """)).extracting(RouteProblem::message).containsExactlyInAnyOrder(
                "a route needs a 'topic' or a 'topic-pattern'", "missing 'event'", "a route needs a 'target'");
    }

    @Test
    void notYamlIsReportedWhereTheParserStopped() {
        List<RouteProblem> problems = problems("""
                routes:
                  - name: grades
                     topic: [unclosed
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).startsWith("not valid YAML");
        });
    }

    @Test
    void aKeyGivenTwiceIsReported() {
        assertThat(problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    topic: school.others
                    event: e
                    target: {type: broadcast}
                """)).extracting(RouteProblem::line).containsExactly(4);
    }

    @Test
    void anExpiryLongerThanThePublishersLimitIsReported() {
        assertThat(problems("""
                routes:
                  - name: grades
                    topic: school.grades
                    event: e
                    target: {type: broadcast}
                    expires-after: 8d
                """)).containsExactly(new RouteProblem(6, 20,
                "'expires-after' must be between 1s and 7d, as the publisher's ttlSeconds"));
    }

    @Test
    void anEmptyFileIsReported() {
        assertThat(problems("")).containsExactly(new RouteProblem(1, 1, "the file is empty: it needs a 'routes' list"));
    }

    @Test
    void theExceptionMessageListsEveryProblemWithFileLineAndColumn() {
        InvalidRoutesException ex = catchThrowableOfType(InvalidRoutesException.class,
                () -> RoutesParser.parse("routes:\n  - name: x\n    topic: t\n    event: e\n    target: {type: team}\n",
                        "routes.yaml"));

        assertThat(ex.getMessage()).contains("routes.yaml:5:20: 'type' must be one of broadcast, user, group");
    }

    @Test
    void filtersReferToTheValueWithDollarOutsideQuotedStrings() {
        assertThat(PathSyntax.relative("$.price == '$5' && $.n > 1")).isEqualTo("@.price == '$5' && @.n > 1");
    }

    @Test
    void filtersReferToTheKeyAndHeadersByWordOutsideQuotedStringsAndPaths() {
        assertThat(PathSyntax.relative("key == 'k-1' && header:tenant == 'acme'"))
                .isEqualTo("$['key'] == 'k-1' && $['headers']['tenant'] == 'acme'");
        assertThat(PathSyntax.relative("$.key == 'key' && $.monkey > 1 && header:x-trace.id"))
                .isEqualTo("@.key == 'key' && @.monkey > 1 && $['headers']['x-trace.id']");
        assertThat(PathSyntax.relative("$['key'] == 'header:a'")).isEqualTo("@['key'] == 'header:a'");
    }

    private static Route only(String yaml) {
        RoutesFile file = RoutesParser.parse(yaml, "test.yaml");
        assertThat(file.routes()).hasSize(1);
        return file.routes().get(0);
    }

    private static List<RouteProblem> problems(String yaml) {
        InvalidRoutesException ex = catchThrowableOfType(InvalidRoutesException.class,
                () -> RoutesParser.parse(yaml, "test.yaml"));
        assertThat(ex).as("the routes file is refused").isNotNull();
        return ex.problems();
    }
}

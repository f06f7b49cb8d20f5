package dev.tidings.gateway.inbox;

import static dev.tidings.gateway.inbox.InboxCluster.everyone;
import static dev.tidings.gateway.inbox.InboxCluster.group;
import static dev.tidings.gateway.inbox.InboxCluster.ids;
import static dev.tidings.gateway.inbox.InboxCluster.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** One gateway with the inbox on a real broker: what a user's history lists, in which order, and for how long. */
@ExtendWith(KafkaBrokerExtension.class)
class InboxHistoryIT {

    private static final int MAX_ITEMS = 20;

    @TempDir
    static Path state;
    private static InboxCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InboxCluster(state, 1, Map.of("tidings.inbox.max-items", MAX_ITEMS));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aUsersInboxListsWhatIsAddressedToThemTheirGroupsAndEveryoneNewestFirstAndNothingElse() {
        String alice = unique("alice");
        String bob = unique("bob");
        String maths = unique("maths");
        String art = unique("art");
        Instant t = Instant.now().minusSeconds(60);
        String toAlice = cluster.publish(user(alice), "grade.published", t, null);
        String toMaths = cluster.publish(group(maths), "class.moved", t.plusSeconds(1), null);
        String toEveryone = cluster.publish(everyone(), "maintenance", t.plusSeconds(2), null);
        String toBob = cluster.publish(user(bob), "grade.published", t.plusSeconds(3), null);
        String toArt = cluster.publish(group(art), "class.moved", t.plusSeconds(4), null);
        String toAliceAndBob = cluster.publish(new dev.tidings.schema.Target(dev.tidings.schema.TargetType.USER,
                List.of(alice, bob)), "meeting", t.plusSeconds(5), null);

        String token = cluster.token(alice, maths);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, ""))).contains(toAliceAndBob, toAlice));

        JsonNode inbox = cluster.inbox(0, token, "");
        assertThat(ids(inbox)).containsSubsequence(toAliceAndBob, toEveryone, toMaths, toAlice)
                .doesNotContain(toBob, toArt);
        assertThat(inbox.path("unread").asLong()).isEqualTo(inbox.path("items").size());
        assertThat(inbox.path("next").isNull()).isTrue();
        JsonNode grade = inbox.path("items").valueStream().filter(i -> i.path("id").asString().equals(toAlice))
                .findFirst().orElseThrow();
        assertThat(grade.path("type").asString()).isEqualTo("notification");
        assertThat(grade.path("event").asString()).isEqualTo("grade.published");
        assertThat(grade.path("payload").path("event").asString()).isEqualTo("grade.published");
        assertThat(grade.path("target").path("type").asString()).isEqualTo("user");
        assertThat(grade.path("target").path("ids").get(0).asString()).isEqualTo(alice);
        assertThat(grade.path("publishedAt").asString()).isEqualTo(t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        assertThat(grade.path("read").asBoolean(true)).isFalse();
        assertThat(ids(cluster.inbox(0, cluster.token(bob), ""))).contains(toBob, toAliceAndBob)
                .doesNotContain(toAlice, toMaths);
    }

    @Test
    void pagesFollowTheCursorNewestFirstUntilNextIsNull() {
        String carol = unique("carol");
        Instant t = Instant.now().minusSeconds(120);
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            published.add(cluster.publish(user(carol), "n" + i, t.plusMillis(i * 10L), null));
        }
        String token = cluster.token(carol);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, ""))).contains(published.get(6)));

        List<String> seen = new ArrayList<>();
        JsonNode page = cluster.inbox(0, token, "?limit=3");
        seen.addAll(ids(page));
        int pages = 1;
        while (!page.path("next").isNull()) {
            page = cluster.inbox(0, token, "?limit=3&before=" + page.path("next").asString());
            seen.addAll(ids(page));
            pages++;
        }
        // Everyone's broadcasts from other tests are listed too; this user's own items come in reverse order.
        assertThat(seen).doesNotHaveDuplicates();
        List<String> newestFirst = new ArrayList<>(published);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen.stream().filter(published::contains).toList()).containsExactlyElementsOf(newestFirst);
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void expiredItemsAndItemsOlderThanTheRetentionAreNotListed() {
        String dan = unique("dan");
        Instant now = Instant.now();
        String expired = cluster.publish(user(dan), "flash-sale", now.minusSeconds(30), now.minusSeconds(1));
        String expiresSoon = cluster.publish(user(dan), "soon", now.minusSeconds(20), now.plusSeconds(4));
        String ancient = cluster.publish(user(dan), "ancient", now.minus(Duration.ofDays(31)), null);
        String current = cluster.publish(user(dan), "current", now.minusSeconds(10), null);
        String token = cluster.token(dan);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, ""))).contains(current, expiresSoon));
        assertThat(ids(cluster.inbox(0, token, ""))).doesNotContain(expired, ancient);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, ""))).contains(current).doesNotContain(expiresSoon));
    }

    @Test
    void aReplayedNotificationAppearsOnceAsTheOriginal() {
        String erin = unique("erin");
        String id = UUID.randomUUID().toString();
        Instant at = Instant.now().minusSeconds(5);
        cluster.publish(id, user(erin), "grade.published", at, null, null);
        cluster.publish(id, user(erin), "grade.published", at, null, "0:42");
        String later = cluster.publish(user(erin), "after-the-replay");
        String token = cluster.token(erin);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, ""))).contains(later));

        JsonNode inbox = cluster.inbox(0, token, "");
        assertThat(ids(inbox).stream().filter(id::equals)).hasSize(1);
        JsonNode item = inbox.path("items").valueStream().filter(i -> i.path("id").asString().equals(id))
                .findFirst().orElseThrow();
        assertThat(item.has("replay")).isFalse();
    }

    @Test
    void onlyTheNewestMaxItemsOfAUserAreKept() {
        String fay = unique("fay");
        Instant t = Instant.now().minusSeconds(300);
        List<String> published = new ArrayList<>();
        for (int i = 0; i < MAX_ITEMS + 5; i++) {
            published.add(cluster.publish(user(fay), "n" + i, t.plusSeconds(i), null));
        }
        String token = cluster.token(fay);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, "?limit=200"))).contains(published.get(MAX_ITEMS + 4)));

        List<String> listed = ids(cluster.inbox(0, token, "?limit=200"));
        assertThat(listed).hasSizeLessThanOrEqualTo(MAX_ITEMS);
        assertThat(listed).doesNotContainAnyElementsOf(published.subList(0, 5));
    }

    @Test
    void trimmingKeepsTheNewestMaxItemsWhateverOrderTheyArriveIn() {
        String hal = unique("hal");
        Instant t = Instant.now().minusSeconds(600);
        List<String> published = new ArrayList<>();
        // Twice over the limit, so that trims have run and deleted what they scan past...
        for (int i = 0; i < 2 * MAX_ITEMS; i++) {
            published.add(cluster.publish(user(hal), "n" + i, t.plusSeconds(100 + i), null));
        }
        // ...then one published before all of them (trimmed at once), one in the middle of those kept,
        // and one newer than all of them: each pushes the oldest kept out.
        String older = cluster.publish(user(hal), "late-old", t, null);
        String middle = cluster.publish(user(hal), "late-middle", t.plusSeconds(100 + MAX_ITEMS + 5).plusMillis(500), null);
        String newest = cluster.publish(user(hal), "late-new", t.plusSeconds(500), null);
        String token = cluster.token(hal);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, "?limit=200"))).contains(newest));

        List<String> expected = new ArrayList<>(published.subList(MAX_ITEMS + 2, 2 * MAX_ITEMS));
        expected.add(4, middle); // after n(MAX_ITEMS+5), oldest first
        expected.add(newest);
        List<String> newestFirst = new ArrayList<>(expected);
        java.util.Collections.reverse(newestFirst);
        assertThat(ids(cluster.inbox(0, token, "?limit=200"))).as("the newest %d, newest first", MAX_ITEMS)
                .containsExactlyElementsOf(newestFirst).doesNotContain(older);
    }

    @Test
    void aRecordThatIsNoNotificationIsSkippedAndTheInboxGoesOn() {
        String ivy = unique("ivy");
        cluster.publishRaw("user:" + ivy, "not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String after = cluster.publish(user(ivy), "after-the-poison");
        String token = cluster.token(ivy);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, ""))).contains(after));
        assertThat(cluster.inbox(0, token, "").path("items").valueStream()
                .filter(item -> item.path("target").path("type").asString().equals("user"))).hasSize(1);
    }

    @Test
    void requestsWithoutAValidTokenOrWithABadPageAreRefused() {
        assertThat(cluster.get(0, "/api/v1/inbox", "not-a-token").statusCode()).isEqualTo(401);
        String token = cluster.token(unique("gil"));
        assertThat(cluster.get(0, "/api/v1/inbox?limit=0", token).statusCode()).isEqualTo(400);
        assertThat(cluster.get(0, "/api/v1/inbox?limit=10000", token).statusCode()).isEqualTo(400);
        assertThat(cluster.get(0, "/api/v1/inbox?before=%21%21", token).statusCode()).isEqualTo(400);
    }

    @Test
    void anotherUsersSliceIsNotServedToAToken() {
        String token = cluster.token(unique("hal"));
        var response = cluster.get(0, InboxQuery.SLICE_PATH + "?address=user:someone-else", token);
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void aSliceCarriesFramesOnlyForTheItemsOfThePageAskedFor() {
        String ivy = unique("ivy");
        Instant t = Instant.now().minusSeconds(90);
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(cluster.publish(user(ivy), "n" + i, t.plusSeconds(i), null));
        }
        String token = cluster.token(ivy);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, ""))).containsAll(published));
        String address = "user:" + ivy;

        Slice first = slice(token, "&limit=2&address=" + address);
        Slice older = slice(token, "&limit=2&before=" + InboxKeys.cursor(first.items().get(address).get(2).position())
                + "&address=" + address);
        Slice whole = slice(token, "&address=" + address);

        assertThat(framedIds(first, address)).containsExactly(published.get(4), published.get(3));
        assertThat(first.items().get(address)).hasSize(5);
        assertThat(framedIds(older, address)).containsExactly(published.get(1), published.get(0));
        assertThat(framedIds(whole, address)).hasSize(5);
    }

    @Test
    void anItemAddressedToTheUserAndTheirGroupIsListedOnceOnEveryPage() {
        String jo = unique("jo");
        String club = unique("club");
        Instant t = Instant.now().minusSeconds(80);
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = java.util.UUID.randomUUID().toString();
            cluster.publish(id, user(jo), "n" + i, t.plusSeconds(i), null, null);
            cluster.publish(id, InboxCluster.group(club), "n" + i, t.plusSeconds(i), null, null);
            published.add(id);
        }
        String token = cluster.token(jo, club);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, "?limit=200"))).containsAll(published));

        List<String> seen = new ArrayList<>();
        JsonNode page = cluster.inbox(0, token, "?limit=2");
        seen.addAll(ids(page));
        while (!page.path("next").isNull()) {
            page = cluster.inbox(0, token, "?limit=2&before=" + page.path("next").asString());
            seen.addAll(ids(page));
        }

        assertThat(seen).doesNotHaveDuplicates();
        List<String> newestFirst = new ArrayList<>(published);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen.stream().filter(published::contains).toList()).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void everyInboxStoreSharesOneBlockCacheOfTheConfiguredBudget() {
        long budget = cluster.context(0).getBean(InboxProperties.class).memory().toBytes();
        var streams = cluster.context(0).getBean(InboxStreams.class).streams();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Object> capacities = streams.metrics().entrySet().stream()
                    .filter(metric -> metric.getKey().name().equals("block-cache-capacity"))
                    .map(metric -> metric.getValue().metricValue()).toList();
            assertThat(capacities).isNotEmpty().allSatisfy(capacity ->
                    assertThat(((Number) capacity).longValue()).isEqualTo(budget));
        });
    }

    private static Slice slice(String token, String query) {
        var response = cluster.getBytes(0, InboxQuery.SLICE_PATH + "?v=1" + query, token);
        assertThat(response.statusCode()).isEqualTo(200);
        return Slice.read(response.body());
    }

    private static List<String> framedIds(Slice slice, String address) {
        return slice.items().get(address).stream().filter(StoredItem::framed).map(StoredItem::id).toList();
    }

    @Test
    void theInboxAndTheDeadLetterCheckRunOnBackgroundThreadsAndTheLiveConsumerDoesNot() {
        // The stream threads and the clients they created (their producer's network thread is named after them):
        // at Thread.MIN_PRIORITY, which the JVM's mapped thread priorities make nice 10.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(threadsNamed("-StreamThread-"))
                .isNotEmpty()
                .allSatisfy(thread -> assertThat(thread.getPriority()).isEqualTo(Thread.MIN_PRIORITY)));
        assertThat(threadsNamed("tidings-gateway-dead-letters-C-"))
                .isNotEmpty()
                .allSatisfy(thread -> assertThat(thread.getPriority()).isEqualTo(Thread.MIN_PRIORITY));
        assertThat(threadsNamed("gatewayListenerContainer-C-"))
                .isNotEmpty()
                .allSatisfy(thread -> assertThat(thread.getPriority()).isEqualTo(Thread.NORM_PRIORITY));
    }

    private static List<Thread> threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains(part)).toList();
    }
}

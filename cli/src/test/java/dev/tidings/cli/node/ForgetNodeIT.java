package dev.tidings.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.tidings.cli.CliRunner;
import dev.tidings.testing.KafkaBrokerExtension;

import picocli.CommandLine;

/**
 * {@code tidings forget-node} against a real broker: consumer groups made the way a gateway node
 * makes its own (subscribe, get partitions, commit), then listed, shown, deleted, and kept while a
 * member is still in them.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForgetNodeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC = "forget-node-it-" + UUID.randomUUID();
    private static Admin admin;

    @TempDir
    Path home;

    @BeforeAll
    static void createTopicWithRecords() throws Exception {
        admin = Admin.create(KafkaBrokerExtension.adminConfig());
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    private CliRunner cli() {
        return CliRunner.in(home).withEnv("KAFKA_BOOTSTRAP_SERVERS", KafkaBrokerExtension.bootstrapServers());
    }

    private static String uniqueNode() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A consumer in the node's group, subscribed and holding its partitions, as a running gateway node is. */
    private static KafkaConsumer<String, String> joinAsNode(String nodeId) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GatewayGroups.PREFIX + nodeId,
                ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + nodeId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment().size() == 2;
        });
        return consumer;
    }

    /** A node that ran, committed where it was (offset 2 of 3 on partition 0, 0 on partition 1), and stopped. */
    private static void leaveGroupBehind(String nodeId) {
        try (KafkaConsumer<String, String> consumer = joinAsNode(nodeId)) {
            consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(2),
                    new TopicPartition(TOPIC, 1), new OffsetAndMetadata(0)));
        }
    }

    @Test
    void explainsWhyAStoppedNodeStaysAMemberUntilItsSessionTimesOut() throws Exception {
        String node = uniqueNode();
        try (KafkaConsumer<String, String> staticMember = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GatewayGroups.PREFIX + node,
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, node,
                ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + node),
                new StringDeserializer(), new StringDeserializer())) {
            staticMember.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                staticMember.poll(Duration.ofMillis(100));
                return staticMember.assignment().size() == 2;
            });
        }

        CliRunner.Result result = cli().run("forget-node", node, "--yes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("still has 1 active member", "static member (group.instance.id)",
                "session.timeout.ms");
        assertThat(groupIds()).contains(GatewayGroups.PREFIX + node);
    }

    private static Set<String> groupIds() throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId)
                .collect(Collectors.toSet());
    }

    /** Runs {@code forget-node} with {@code answer} on stdin. */
    private CliRunner.Result answering(String answer, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ForgetNodeCommand command = new ForgetNodeCommand(cli().workspace(),
                new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)));
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CliRunner.Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void showsTheGroupAndItsOffsetsThenDeletesItOnceConfirmed() throws Exception {
        String node = uniqueNode();
        leaveGroupBehind(node);

        CliRunner.Result result = answering("y\n", node);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("consumer group tidings-gateway-" + node + ": EMPTY, no active members",
                "committed offsets:", "Delete consumer group tidings-gateway-" + node,
                "deleted consumer group tidings-gateway-" + node);
        assertThat(result.out().lines().map(String::strip))
                .anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly(TOPIC, "0", "2", "3", "1"))
                .anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly(TOPIC, "1", "0", "0", "0"));
        assertThat(groupIds()).doesNotContain(GatewayGroups.PREFIX + node);
    }

    @Test
    void keepsTheGroupUnlessTheAnswerIsYes() throws Exception {
        String node = uniqueNode();
        leaveGroupBehind(node);

        CliRunner.Result no = answering("n\n", node);
        CliRunner.Result closedStdin = answering("", node);

        assertThat(no.exitCode()).isEqualTo(1);
        assertThat(no.out()).contains("nothing deleted");
        assertThat(closedStdin.exitCode()).isEqualTo(1);
        assertThat(closedStdin.out()).contains("no answer (stdin is closed); pass --yes");
        assertThat(groupIds()).contains(GatewayGroups.PREFIX + node);
    }

    @Test
    void deletesWithoutAskingWithYes() throws Exception {
        String node = uniqueNode();
        leaveGroupBehind(node);

        CliRunner.Result result = cli().run("forget-node", node, "--yes");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).doesNotContain("committed offsets").contains("deleted consumer group tidings-gateway-" + node);
        assertThat(groupIds()).doesNotContain(GatewayGroups.PREFIX + node);
    }

    @Test
    void refusesWhileTheNodeIsStillAMemberAndDeletesOnceItLeft() throws Exception {
        String node = uniqueNode();
        CliRunner.Result whileRunning;
        try (KafkaConsumer<String, String> running = joinAsNode(node)) {
            running.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1)));

            whileRunning = cli().run("forget-node", node, "--yes");

            assertThat(groupIds()).contains(GatewayGroups.PREFIX + node);
        }
        CliRunner.Result afterStop = cli().run("forget-node", node, "--yes");

        assertThat(whileRunning.exitCode()).isEqualTo(1);
        assertThat(whileRunning.err()).contains("still has 1 active member (gateway-" + node,
                "gateway node " + node + " still runs: stop it first", "nothing deleted");
        assertThat(afterStop.exitCode()).as(afterStop.toString()).isZero();
        assertThat(groupIds()).doesNotContain(GatewayGroups.PREFIX + node);
    }

    @Test
    void listsOnlyGatewayGroupsWithStateAndMemberCount() throws Exception {
        String gone = uniqueNode();
        String running = uniqueNode();
        leaveGroupBehind(gone);
        try (KafkaConsumer<String, String> other = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "not-a-gateway-" + gone), new StringDeserializer(), new StringDeserializer());
                KafkaConsumer<String, String> member = joinAsNode(running)) {
            other.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1)));

            CliRunner.Result result = cli().run("forget-node", "--list", "--bootstrap", KafkaBrokerExtension.bootstrapServers());

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out().lines().findFirst()).hasValueSatisfying(header ->
                    assertThat(header.split("\\s+")).containsExactly("GROUP", "NODE", "STATE", "MEMBERS"));
            assertThat(result.out().lines())
                    .anySatisfy(line -> assertThat(line.split("\\s+"))
                            .containsExactly(GatewayGroups.PREFIX + gone, gone, "EMPTY", "0"))
                    .anySatisfy(line -> assertThat(line.split("\\s+"))
                            .containsExactly(GatewayGroups.PREFIX + running, running, "STABLE", "1"))
                    .noneSatisfy(line -> assertThat(line).contains("not-a-gateway"));
        }
    }

    @Test
    void listsGatewayGroupsAsJson() throws Exception {
        String gone = uniqueNode();
        String running = uniqueNode();
        leaveGroupBehind(gone);
        try (KafkaConsumer<String, String> member = joinAsNode(running)) {

            CliRunner.Result result = cli().run("forget-node", "--list", "--json");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            JsonNode json = JSON.readTree(result.out());
            assertThat(json.path("bootstrapServers").asString()).isEqualTo(KafkaBrokerExtension.bootstrapServers());
            Map<String, JsonNode> byNode = new HashMap<>();
            json.path("groups").forEach(group -> byNode.put(group.path("nodeId").asString(), group));
            assertThat(byNode).containsKeys(gone, running);
            assertThat(byNode.values()).allSatisfy(group ->
                    assertThat(group.path("groupId").asString()).startsWith(GatewayGroups.PREFIX));
            assertThat(byNode.get(gone).path("state").asString()).isEqualTo("EMPTY");
            assertThat(byNode.get(gone).path("members").size()).isZero();
            assertThat(byNode.get(running).path("state").asString()).isEqualTo("STABLE");
            assertThat(byNode.get(running).path("members").size()).isEqualTo(1);
            assertThat(byNode.get(running).at("/members/0/clientId").asString()).isEqualTo("gateway-" + running);
        }
    }

    @Test
    void saysThereIsNoSuchGroupAndHowToSeeTheOnesThereAre() {
        CliRunner.Result result = cli().run("forget-node", "never-ran");
        CliRunner.Result groupIdGiven = cli().run("forget-node", "tidings-gateway-never-ran");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no consumer group tidings-gateway-never-ran at "
                + KafkaBrokerExtension.bootstrapServers(), "tidings forget-node --list");
        assertThat(groupIdGiven.err()).contains("give the node id (never-ran), not the group id");
    }
}

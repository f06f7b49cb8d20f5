package dev.tidings.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.tidings.cli.CliRunner;

import picocli.CommandLine;

class ForgetNodeCommandTest {

    @TempDir
    Path home;

    @Test
    void needsEitherANodeIdOrListButNotBoth() {
        CliRunner.Result neither = CliRunner.in(home).run("forget-node");
        CliRunner.Result both = CliRunner.in(home).run("forget-node", "gw-3", "--list");

        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("give the NODE_ID of the node to forget, or --list");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--list takes no NODE_ID");
    }

    @Test
    void takesJsonOnlyWithList() {
        CliRunner.Result result = CliRunner.in(home).run("forget-node", "gw-3", "--json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--json goes with --list");
    }

    @Test
    void listJsonNamesEveryGroupWithItsMembers() {
        List<GatewayGroups.Group> groups = List.of(
                new GatewayGroups.Group("tidings-gateway-gw-1", "STABLE",
                        List.of(new GatewayGroups.Member("gateway-gw-1", "/10.0.0.7", "gw-1"))),
                new GatewayGroups.Group("tidings-gateway-gw-2", "EMPTY", List.of()));

        JsonNode json = ForgetNodeCommand.listJson("kafka-1:9092", groups);

        assertThat(json.toString()).isEqualTo("{\"bootstrapServers\":\"kafka-1:9092\",\"groups\":["
                + "{\"groupId\":\"tidings-gateway-gw-1\",\"nodeId\":\"gw-1\",\"state\":\"STABLE\",\"members\":["
                + "{\"clientId\":\"gateway-gw-1\",\"host\":\"/10.0.0.7\",\"instanceId\":\"gw-1\"}]},"
                + "{\"groupId\":\"tidings-gateway-gw-2\",\"nodeId\":\"gw-2\",\"state\":\"EMPTY\",\"members\":[]}]}");
    }

    @Test
    void takesBootstrapFromTheOptionThenTheEnvironmentThenTheLocalBroker() {
        CliRunner plain = CliRunner.in(home);
        CliRunner withEnv = CliRunner.in(home).withEnv("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092");

        assertThat(bootstrap(plain, "gw-3")).isEqualTo("127.0.0.1:9092");
        assertThat(bootstrap(withEnv, "gw-3")).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(bootstrap(withEnv, "gw-3", "--bootstrap", "10.0.0.9:9093")).isEqualTo("10.0.0.9:9093");
    }

    @Test
    void namesTheActiveMembersWhenRefusing() {
        GatewayGroups.Group group = new GatewayGroups.Group("tidings-gateway-gw-3", "STABLE",
                List.of(new GatewayGroups.Member("consumer-tidings-gateway-gw-3-1", "/10.0.0.7", null)));

        assertThat(ForgetNodeCommand.stillRunning(group, "gw-3")).isEqualTo("consumer group tidings-gateway-gw-3 still "
                + "has 1 active member (consumer-tidings-gateway-gw-3-1 on 10.0.0.7), so gateway node gw-3 still runs: "
                + "stop it first. forget-node is for nodes removed for good; nothing deleted");
    }

    @Test
    void explainsThatAStoppedStaticMemberStaysUntilItsSessionTimesOut() {
        GatewayGroups.Group group = new GatewayGroups.Group("tidings-gateway-gw-3", "STABLE",
                List.of(new GatewayGroups.Member("consumer-tidings-gateway-gw-3-1", "/10.0.0.7", "gw-3")));

        assertThat(ForgetNodeCommand.stillRunning(group, "gw-3"))
                .contains("still runs: stop it first", "static member (group.instance.id)", "session.timeout.ms");
    }

    @Test
    void alignsTableColumnsTwoSpacesApart() {
        StringWriter text = new StringWriter();

        Table.print(new PrintWriter(text, true), List.of(List.of("GROUP", "STATE"), List.of("tidings-gateway-gw-1", "EMPTY")),
                "  ");

        assertThat(text.toString().lines()).containsExactly(
                "  GROUP                 STATE",
                "  tidings-gateway-gw-1  EMPTY");
    }

    private static String bootstrap(CliRunner cli, String... args) {
        ForgetNodeCommand command = new ForgetNodeCommand(cli.workspace());
        new CommandLine(command).parseArgs(args);
        return command.bootstrapServers();
    }
}

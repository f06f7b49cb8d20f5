package dev.tidings.cli.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.tidings.cli.workspace.CliException;
import dev.tidings.cli.workspace.Workspace;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tidings forget-node}: deletes the consumer group of a gateway node removed for good, so
 * that its committed offsets stop pinning the topic's history in monitoring (consumer lag) and
 * a later node with that id starts fresh; {@code --list} shows every gateway group.
 */
@Command(name = "forget-node", sortOptions = false,
        description = {
                "Delete the Kafka consumer group of a gateway node removed for good; --list shows them all.",
                "Each node has its own group, tidings-gateway-NODE_ID, so that it reads the whole topic; a node that "
                        + "is gone leaves its group and committed offsets behind (and a growing lag on the dashboards).",
                "Refuses while the group has active members (the node still runs). Without --yes, first shows the "
                        + "group's state and committed offsets and asks for confirmation on stdin.",
                "A node started again with the same id has no committed offsets: it begins at the end of the topic "
                        + "(its clients resume from their cursors).",
                "--list --json prints one JSON object: {bootstrapServers, groups: [{groupId, nodeId, state, members: "
                        + "[{clientId, host, instanceId}]}]}." },
        footer = {
                "%nExamples:",
                "  tidings forget-node --list",
                "  tidings forget-node --list --json",
                "  tidings forget-node gw-3",
                "  tidings forget-node gw-3 --yes --bootstrap kafka-1:9092" })
public final class ForgetNodeCommand implements Callable<Integer> {

    /** Environment variable for the default {@code --bootstrap}. */
    static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Workspace workspace;
    private final InputStream stdin;

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NODE_ID",
            description = "The node's id (TIDINGS_NODE_ID), e.g. gw-3.")
    private @Nullable String nodeId;

    @Option(names = "--list", description = "List every tidings-gateway-* group with its state and member count.")
    private boolean list;

    @Option(names = "--json", description = "With --list: print the groups as one JSON object instead of a table.")
    private boolean json;

    @Option(names = "--yes", description = "Delete without showing the group and asking first.")
    private boolean yes;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: $" + BOOTSTRAP_ENV + ", else " + DEFAULT_BOOTSTRAP + ".")
    private @Nullable String bootstrap;

    public ForgetNodeCommand(Workspace workspace) {
        this(workspace, System.in);
    }

    /** A command that reads the confirmation from {@code stdin}. */
    ForgetNodeCommand(Workspace workspace, InputStream stdin) {
        this.workspace = workspace;
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        if (list == (nodeId != null)) {
            throw new ParameterException(spec.commandLine(),
                    list ? "--list takes no NODE_ID" : "give the NODE_ID of the node to forget, or --list");
        }
        if (json && !list) {
            throw new ParameterException(spec.commandLine(), "--json goes with --list");
        }
        try (GatewayGroups groups = GatewayGroups.connect(bootstrapServers())) {
            return list ? list(groups) : forget(groups, validNodeId(nodeId));
        }
    }

    /** {@code --bootstrap}, else {@code KAFKA_BOOTSTRAP_SERVERS}, else the local broker of {@code tidings up}. */
    String bootstrapServers() {
        String servers = bootstrap != null ? bootstrap : workspace.env(BOOTSTRAP_ENV);
        return servers == null || servers.isBlank() ? DEFAULT_BOOTSTRAP : servers.strip();
    }

    private int list(GatewayGroups groups) {
        PrintWriter out = spec.commandLine().getOut();
        List<GatewayGroups.Group> found = groups.list();
        if (json) {
            out.println(JSON.writeValueAsString(listJson(groups.bootstrapServers(), found)));
        }
        else if (found.isEmpty()) {
            out.println("no gateway consumer groups (" + GatewayGroups.PREFIX + "*) at " + groups.bootstrapServers());
        }
        else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("GROUP", "NODE", "STATE", "MEMBERS"));
            for (GatewayGroups.Group group : found) {
                rows.add(List.of(group.groupId(), group.nodeId(), group.state(), String.valueOf(group.members().size())));
            }
            Table.print(out, rows);
        }
        out.flush();
        return 0;
    }

    /**
     * What {@code --list --json} prints. Scripts read this shape, so a field is only ever added;
     * {@code instanceId} is {@code null} for a member that is not static.
     */
    static ObjectNode listJson(String bootstrapServers, List<GatewayGroups.Group> groups) {
        ObjectNode root = JSON.createObjectNode();
        root.put("bootstrapServers", bootstrapServers);
        ArrayNode array = root.putArray("groups");
        for (GatewayGroups.Group group : groups) {
            ObjectNode node = array.addObject();
            node.put("groupId", group.groupId());
            node.put("nodeId", group.nodeId());
            node.put("state", group.state());
            ArrayNode members = node.putArray("members");
            for (GatewayGroups.Member member : group.members()) {
                ObjectNode entry = members.addObject();
                entry.put("clientId", member.clientId());
                entry.put("host", member.host());
                if (member.instanceId() != null) {
                    entry.put("instanceId", member.instanceId());
                }
                else {
                    entry.putNull("instanceId");
                }
            }
        }
        return root;
    }

    private int forget(GatewayGroups groups, String node) {
        PrintWriter out = spec.commandLine().getOut();
        String groupId = GatewayGroups.PREFIX + node;
        Optional<GatewayGroups.Group> described = groups.describe(node);
        if (described.isEmpty()) {
            String hint = node.startsWith(GatewayGroups.PREFIX)
                    ? "; give the node id (" + node.substring(GatewayGroups.PREFIX.length()) + "), not the group id"
                    : "; `tidings forget-node --list` shows the gateway groups there are";
            throw new CliException("no consumer group " + groupId + " at " + groups.bootstrapServers() + hint);
        }
        GatewayGroups.Group group = described.get();
        if (!group.members().isEmpty()) {
            throw new CliException(stillRunning(group, node));
        }
        if (!yes) {
            show(out, group, groups.offsets(groupId));
            if (!confirmed(out, "Delete consumer group " + groupId + " and its committed offsets? [y/N] ")) {
                out.println("nothing deleted");
                out.flush();
                return 1;
            }
        }
        groups.delete(groupId);
        out.println("deleted consumer group " + groupId + " at " + groups.bootstrapServers());
        out.flush();
        return 0;
    }

    static String stillRunning(GatewayGroups.Group group, String node) {
        int count = group.members().size();
        String who = group.members().stream()
                .map(member -> member.clientId() + " on " + member.host().replaceFirst("^/", ""))
                .collect(Collectors.joining(", "));
        String message = "consumer group " + group.groupId() + " still has " + count + " active member"
                + (count == 1 ? "" : "s") + " (" + who + "), so gateway node " + node + " still runs: stop it first. "
                + "forget-node is for nodes removed for good; nothing deleted";
        if (group.members().stream().anyMatch(member -> member.instanceId() != null)) {
            // Gateway nodes are static members: a stopped one stays in the group until its session times out.
            message += ". If the node has stopped: it is a static member (group.instance.id), which stays in the group "
                    + "until its session times out (session.timeout.ms, 45 s by default); try again after that";
        }
        return message;
    }

    private static void show(PrintWriter out, GatewayGroups.Group group, List<GatewayGroups.Offset> offsets) {
        out.println("consumer group " + group.groupId() + ": " + group.state() + ", no active members");
        if (offsets.isEmpty()) {
            out.println("no committed offsets");
        }
        else {
            out.println("committed offsets:");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("TOPIC", "PARTITION", "COMMITTED", "END", "LAG"));
            for (GatewayGroups.Offset offset : offsets) {
                rows.add(List.of(offset.partition().topic(), String.valueOf(offset.partition().partition()),
                        String.valueOf(offset.committed()), offset.end() == null ? "?" : String.valueOf(offset.end()),
                        offset.lag() == null ? "?" : String.valueOf(offset.lag())));
            }
            Table.print(out, rows, "  ");
        }
        out.flush();
    }

    private boolean confirmed(PrintWriter out, String question) {
        out.print(question);
        out.flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(stdin, Charset.defaultCharset())).readLine();
        }
        catch (IOException ex) {
            throw new CliException("cannot read the answer from stdin: " + ex.getMessage());
        }
        if (answer == null) {
            out.println();
            out.println("no answer (stdin is closed); pass --yes to delete without asking");
            return false;
        }
        String text = answer.strip().toLowerCase(Locale.ROOT);
        return text.equals("y") || text.equals("yes");
    }

    private static String validNodeId(@Nullable String node) {
        String id = node == null ? "" : node.strip();
        if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new CliException("NODE_ID '" + node + "' is not a node id: write e.g. gw-3");
        }
        return id;
    }
}

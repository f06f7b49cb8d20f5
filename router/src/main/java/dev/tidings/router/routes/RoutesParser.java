package dev.tidings.router.routes;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.tidings.schema.NotificationRules;
import dev.tidings.schema.TargetType;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a routes file and checks all of it before anything runs: every mistake (unknown or
 * duplicate keys, bad JSONPaths and patterns, bad target types, an Avro route without a registry,
 * duplicate route names) is reported with its line and column in one {@link InvalidRoutesException}.
 *
 * <p>One class, past the usual size, because it is one walk over the YAML node tree that must see every
 * key of every route with its position, so that all mistakes are found in one pass.
 *
 * <p>Not thread-safe: one instance reads one file; use {@link #parse(Path)} or {@link #parse(String, String)}.
 */
public final class RoutesParser {

    static final Set<String> TOP_KEYS = Set.of("routes", "schema-registry");
    static final Set<String> ROUTE_KEYS = Set.of("name", "topic", "topic-pattern", "format", "filter", "event",
            "target", "payload", "id", "expires-after", "start", "dead-letter-topic");
    static final Set<String> TARGET_KEYS = Set.of("type", "ids");
    static final Set<String> REGISTRY_KEYS = Set.of("url", "basic-auth-user-info", "bearer-token", "timeout");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final List<RouteProblem> problems = new ArrayList<>();
    private final Map<String, Node> names = new HashMap<>();
    private final PathSyntax paths = new PathSyntax(this::problem);
    private final YamlNodes nodes = new YamlNodes(this::problem);

    private RoutesParser() {
    }

    /** Reads and checks the routes file at {@code file}. */
    public static RoutesFile parse(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Reads and checks routes from {@code yaml}.
     *
     * @param source what to call the text in problem messages (its file name)
     * @throws InvalidRoutesException listing every mistake, with its line and column
     */
    public static RoutesFile parse(String yaml, String source) {
        RoutesParser parser = new RoutesParser();
        RoutesFile file = parser.read(yaml);
        if (!parser.problems.isEmpty() || file == null) {
            List<RouteProblem> sorted = new ArrayList<>(parser.problems);
            sorted.sort(java.util.Comparator.comparingInt(RouteProblem::line).thenComparingInt(RouteProblem::column));
            throw new InvalidRoutesException(source, sorted);
        }
        return file;
    }

    private @Nullable RoutesFile read(String yaml) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            root = new Yaml(options).compose(new StringReader(yaml));
        }
        catch (MarkedYAMLException ex) {
            Mark mark = ex.getProblemMark() != null ? ex.getProblemMark() : ex.getContextMark();
            problems.add(new RouteProblem(mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
                    "not valid YAML: " + ex.getProblem()));
            return null;
        }
        if (root == null) {
            problems.add(new RouteProblem(1, 1, "the file is empty: it needs a 'routes' list"));
            return null;
        }
        Map<String, NodeTuple> top = nodes.mapping(root, "the file", TOP_KEYS);
        if (top == null) {
            return null;
        }
        SchemaRegistrySettings registry = top.containsKey("schema-registry")
                ? registry(top.get("schema-registry").getValueNode()) : null;
        NodeTuple routesEntry = top.get("routes");
        if (routesEntry == null) {
            problem(root, "the file needs a 'routes' list");
            return null;
        }
        if (!(routesEntry.getValueNode() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            problem(routesEntry.getValueNode(), "'routes' must be a list of at least one route");
            return null;
        }
        List<Route> routes = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            Route route = route(item, registry != null || top.containsKey("schema-registry"));
            if (route != null) {
                routes.add(route);
            }
        }
        return new RoutesFile(routes, registry);
    }

    private @Nullable Route route(Node node, boolean hasRegistry) {
        Map<String, NodeTuple> keys = nodes.mapping(node, "a route", ROUTE_KEYS);
        if (keys == null) {
            return null;
        }
        int before = problems.size();
        String name = nodes.required(node, keys, "name");
        if (name != null) {
            Node nameNode = keys.get("name").getValueNode();
            if (!NAME.matcher(name).matches()) {
                problem(nameNode, "'name' must be 1-100 letters, digits, '.', '_' or '-'");
            }
            else if (names.containsKey(name)) {
                Node first = names.get(name);
                problem(nameNode, "route name '" + name + "' is already used at line "
                        + (first.getStartMark().getLine() + 1));
            }
            else {
                names.put(name, nameNode);
            }
        }
        Pattern topics = topics(node, keys);
        Format format = Format.JSON;
        String formatText = nodes.optional(keys, "format");
        if (formatText != null) {
            Format known = Format.of(formatText);
            if (known == null) {
                problem(keys.get("format").getValueNode(), "'format' must be one of json, avro-confluent, avro-tidings");
            }
            else {
                format = known;
                if (known == Format.AVRO_CONFLUENT && !hasRegistry) {
                    problem(keys.get("format").getValueNode(), "format avro-confluent needs a top-level "
                            + "'schema-registry' with a 'url'");
                }
            }
        }
        String filterText = nodes.optional(keys, "filter");
        var filter = filterText == null ? null : paths.filter(keys.get("filter").getValueNode(), filterText);
        String eventText = nodes.required(node, keys, "event");
        EventTemplate event = eventText == null ? null : paths.event(keys.get("event").getValueNode(), eventText);
        TargetSpec target = keys.containsKey("target") ? target(keys.get("target").getValueNode()) : null;
        if (!keys.containsKey("target")) {
            problem(node, "a route needs a 'target'");
        }
        PayloadSpec payload = payload(keys.get("payload"));
        String idText = nodes.optional(keys, "id");
        Selector id = idText == null ? null : paths.selector(keys.get("id").getValueNode(), "id", idText);
        String ttlText = nodes.optional(keys, "expires-after");
        Duration ttl = ttlText == null ? null : nodes.duration(keys.get("expires-after").getValueNode(), ttlText);
        if (ttl != null && (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(NotificationRules.MAX_TTL) > 0)) {
            problem(keys.get("expires-after").getValueNode(), "'expires-after' must be between 1s and "
                    + NotificationRules.MAX_TTL.toDays() + "d, as the publisher's ttlSeconds");
        }
        String startText = nodes.optional(keys, "start");
        StartPosition start = startText == null ? StartPosition.LATEST
                : StartPositions.parse(startText, keys.get("start").getValueNode(), this::problem);
        String dlq = nodes.optional(keys, "dead-letter-topic");
        if (dlq != null && !TOPIC.matcher(dlq).matches()) {
            problem(keys.get("dead-letter-topic").getValueNode(), "'dead-letter-topic' must be a Kafka topic name: "
                    + "1-249 letters, digits, '.', '_' or '-'");
        }
        if (problems.size() > before || name == null || topics == null || event == null || target == null
                || payload == null || start == null) {
            return null;
        }
        return new Route(name, topics, format, filter, event, target, payload, id, ttl, start,
                dlq != null ? dlq : Route.defaultDeadLetterTopic(name));
    }

    private @Nullable Pattern topics(Node route, Map<String, NodeTuple> keys) {
        String topic = nodes.optional(keys, "topic");
        String pattern = nodes.optional(keys, "topic-pattern");
        if (topic != null && pattern != null) {
            problem(keys.get("topic-pattern").getKeyNode(), "a route has 'topic' or 'topic-pattern', not both");
            return null;
        }
        if (topic != null) {
            if (!TOPIC.matcher(topic).matches()) {
                problem(keys.get("topic").getValueNode(), "'topic' must be a Kafka topic name: 1-249 letters, "
                        + "digits, '.', '_' or '-'");
                return null;
            }
            return Pattern.compile(Pattern.quote(topic));
        }
        if (pattern != null) {
            try {
                return Pattern.compile(pattern);
            }
            catch (PatternSyntaxException ex) {
                problem(keys.get("topic-pattern").getValueNode(), "'topic-pattern' is not a valid regular expression: "
                        + ex.getDescription() + " near index " + ex.getIndex());
                return null;
            }
        }
        if (!keys.containsKey("topic") && !keys.containsKey("topic-pattern")) {
            problem(route, "a route needs a 'topic' or a 'topic-pattern'");
        }
        return null;
    }

    private @Nullable TargetSpec target(Node node) {
        Map<String, NodeTuple> keys = nodes.mapping(node, "'target'", TARGET_KEYS);
        if (keys == null) {
            return null;
        }
        String typeText = nodes.required(node, keys, "type");
        if (typeText == null) {
            return null;
        }
        TargetType type = switch (typeText) {
            case "broadcast" -> TargetType.BROADCAST;
            case "user" -> TargetType.USER;
            case "group" -> TargetType.GROUP;
            default -> null;
        };
        if (type == null) {
            problem(keys.get("type").getValueNode(), "'type' must be one of broadcast, user, group");
            return null;
        }
        String idsText = nodes.optional(keys, "ids");
        if (type == TargetType.BROADCAST) {
            if (keys.containsKey("ids")) {
                problem(keys.get("ids").getKeyNode(), "a broadcast target has no 'ids'");
                return null;
            }
            return new TargetSpec(type, null);
        }
        if (idsText == null) {
            if (!keys.containsKey("ids")) {
                problem(node, "a " + typeText + " target needs 'ids': a JSONPath, 'key' or 'header:NAME'");
            }
            return null;
        }
        Selector ids = paths.selector(keys.get("ids").getValueNode(), "ids", idsText);
        return ids == null ? null : new TargetSpec(type, ids);
    }

    private @Nullable PayloadSpec payload(@Nullable NodeTuple entry) {
        if (entry == null) {
            return new PayloadSpec(paths.selector(null, "payload", "$"), Map.of());
        }
        Node value = entry.getValueNode();
        if (value instanceof ScalarNode scalar) {
            Selector whole = paths.selector(scalar, "payload", scalar.getValue());
            return whole == null ? null : new PayloadSpec(whole, Map.of());
        }
        if (!(value instanceof MappingNode)) {
            problem(value, "'payload' must be a JSONPath or a map of name: JSONPath");
            return null;
        }
        Map<String, NodeTuple> members = nodes.mapping(value, "'payload'", null);
        if (members == null) {
            return null;
        }
        Map<String, Selector> fields = new LinkedHashMap<>();
        members.forEach((name, tuple) -> {
            String text = nodes.scalar(tuple.getValueNode(), "payload." + name);
            Selector selector = text == null ? null : paths.selector(tuple.getValueNode(), "payload." + name, text);
            if (selector != null) {
                fields.put(name, selector);
            }
        });
        if (fields.isEmpty() && members.isEmpty()) {
            problem(value, "'payload' needs at least one member");
        }
        return fields.size() == members.size() && !fields.isEmpty() ? new PayloadSpec(null, fields) : null;
    }

    private @Nullable SchemaRegistrySettings registry(Node node) {
        Map<String, NodeTuple> keys = nodes.mapping(node, "'schema-registry'", REGISTRY_KEYS);
        if (keys == null) {
            return null;
        }
        String url = nodes.required(node, keys, "url");
        URI uri = null;
        if (url != null) {
            try {
                uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            }
            catch (IllegalArgumentException ex) {
                problem(keys.get("url").getValueNode(), "'url' must be an http or https URL");
                uri = null;
            }
        }
        String userInfo = nodes.optional(keys, "basic-auth-user-info");
        if (userInfo != null && !userInfo.contains(":")) {
            problem(keys.get("basic-auth-user-info").getValueNode(), "'basic-auth-user-info' must be user:password");
        }
        String timeoutText = nodes.optional(keys, "timeout");
        Duration timeout = timeoutText == null ? Duration.ofSeconds(5)
                : nodes.duration(keys.get("timeout").getValueNode(), timeoutText);
        return uri == null || timeout == null ? null
                : new SchemaRegistrySettings(uri, userInfo, nodes.optional(keys, "bearer-token"), timeout);
    }

    void problem(@Nullable Node node, String message) {
        Mark mark = node == null ? null : node.getStartMark();
        problems.add(new RouteProblem(mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
                message));
    }
}

package dev.tidings.router.routes;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the parts of a routes file's YAML node tree (maps of known keys, non-empty strings,
 * durations), reporting what is wrong at its node and going on, so that one pass finds every mistake.
 */
final class YamlNodes {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private final ProblemSink problems;

    YamlNodes(ProblemSink problems) {
        this.problems = problems;
    }

    @Nullable Duration duration(Node node, String text) {
        var matcher = DURATION.matcher(text);
        Duration duration = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        else if (text.startsWith("P") || text.startsWith("p")) {
            try {
                duration = Duration.parse(text);
            }
            catch (java.time.format.DateTimeParseException ex) {
                duration = null;
            }
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            problems.problem(node, "'" + text + "' is not a positive duration such as 30s, 15m, 1h, 7d or PT1H");
            return null;
        }
        return duration;
    }

    /** The members of a mapping by key, reporting non-mappings, non-string keys and (with {@code allowed}) unknown keys. */
    @Nullable Map<String, NodeTuple> mapping(Node node, String what, @Nullable Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            problems.problem(node, what + " must be a map of keys");
            return null;
        }
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problems.problem(tuple.getKeyNode(), "keys of " + what + " must be strings");
                continue;
            }
            if (allowed != null && !allowed.contains(key.getValue())) {
                problems.problem(key, "unknown key '" + key.getValue() + "' in " + what + " (known: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
                continue;
            }
            if (keys.containsKey(key.getValue())) {
                problems.problem(key, "'" + key.getValue() + "' is given twice in " + what);
                continue;
            }
            keys.put(key.getValue(), tuple);
        }
        return keys;
    }

    @Nullable String required(Node parent, Map<String, NodeTuple> keys, String key) {
        if (!keys.containsKey(key)) {
            problems.problem(parent, "missing '" + key + "'");
            return null;
        }
        return optional(keys, key);
    }

    @Nullable String optional(Map<String, NodeTuple> keys, String key) {
        NodeTuple tuple = keys.get(key);
        return tuple == null ? null : scalar(tuple.getValueNode(), key);
    }

    @Nullable String scalar(Node node, String key) {
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isEmpty()) {
            problems.problem(node, "'" + key + "' must be a non-empty string");
            return null;
        }
        return scalar.getValue();
    }

}

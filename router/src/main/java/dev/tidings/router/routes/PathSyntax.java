package dev.tidings.router.routes;

import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import dev.tidings.schema.NotificationRules;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Compiles the expressions of a routes file with Jayway JsonPath: selectors ({@code $…}, {@code key},
 * {@code header:NAME}), filters and event templates, reporting what does not compile at its node.
 */
final class PathSyntax {

    private final ProblemSink problems;

    PathSyntax(ProblemSink problems) {
        this.problems = problems;
    }

    @Nullable Selector selector(@Nullable Node node, String key, String text) {
        if (text.equals("key")) {
            return new Selector.Key();
        }
        if (text.startsWith("header:")) {
            String name = text.substring("header:".length());
            if (name.isEmpty()) {
                problems.problem(node, "'" + key + "': header:NAME needs a header name");
                return null;
            }
            return new Selector.Header(name);
        }
        if (!text.startsWith("$")) {
            problems.problem(node, "'" + key + "' must be a JSONPath starting with $, 'key' or 'header:NAME'");
            return null;
        }
        JsonPath path = compile(node, key, text);
        return path == null ? null : new Selector.ValuePath(path);
    }

    /**
     * A filter such as {@code $.status == 'final' && header:tenant == 'acme'}: {@code $} is the value,
     * {@code key} the record's key and {@code header:NAME} its last header of that name (UTF-8 text, or
     * absent). Compiled as the JSONPath filter {@code $.value[?(@.status == 'final' && $['headers']['tenant']
     * == 'acme')]}, to be read over {@link Route#filterDocument the record's filter document}.
     */
    @Nullable JsonPath filter(Node node, String text) {
        if (!text.contains("$") && !text.contains("key") && !text.contains("header:")) {
            problems.problem(node, "'filter' must refer to the value with $ (e.g. $.status == 'final'), "
                    + "to the key with key or to a header with header:NAME");
            return null;
        }
        return compile(node, "filter", "$.value[?(" + relative(text) + ")]");
    }

    /**
     * {@code text} with every {@code $} outside quoted strings replaced by {@code @} (the value), every
     * word {@code key} by {@code $['key']} and every {@code header:NAME} by {@code $['headers']['NAME']}.
     */
    static String relative(String text) {
        StringBuilder out = new StringBuilder(text.length());
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && startsWord(text, i)) {
                if (text.startsWith("header:", i)) {
                    int end = i + "header:".length();
                    while (end < text.length() && isHeaderNameChar(text.charAt(end))) {
                        end++;
                    }
                    out.append("$['headers']['").append(text, i + "header:".length(), end).append("']");
                    i = end - 1;
                    continue;
                }
                if (text.startsWith("key", i) && !continuesWord(text, i + 3)) {
                    out.append("$['key']");
                    i += 2;
                    continue;
                }
            }
            if (quote != 0) {
                if (c == '\\' && i + 1 < text.length()) {
                    out.append(c).append(text.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                }
                out.append(c);
            }
            else if (c == '\'' || c == '"') {
                quote = c;
                out.append(c);
            }
            else {
                out.append(c == '$' ? '@' : c);
            }
        }
        return out.toString();
    }

    /** Whether a word may start at {@code i}: not inside a name, a path ({@code $.key}) or a bracket. */
    private static boolean startsWord(String text, int i) {
        if (i == 0) {
            return true;
        }
        char before = text.charAt(i - 1);
        return !(Character.isLetterOrDigit(before) || before == '_' || before == '.' || before == '$'
                || before == '@' || before == '-' || before == ':');
    }

    private static boolean continuesWord(String text, int i) {
        return i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                || text.charAt(i) == ':' || text.charAt(i) == '-');
    }

    private static boolean isHeaderNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    /** Whether every bracket and parenthesis outside quoted strings is closed, in order. */
    static boolean balanced(String text) {
        java.util.ArrayDeque<Character> open = new java.util.ArrayDeque<>();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                }
                else if (c == quote) {
                    quote = 0;
                }
            }
            else if (c == '\'' || c == '"') {
                quote = c;
            }
            else if (c == '[' || c == '(') {
                open.push(c);
            }
            else if (c == ']' || c == ')') {
                if (open.isEmpty() || open.pop() != (c == ']' ? '[' : '(')) {
                    return false;
                }
            }
        }
        return open.isEmpty() && quote == 0;
    }

    @Nullable EventTemplate event(Node node, String text) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("${", at);
            if (open < 0) {
                parts.add(text.substring(at));
                break;
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                problems.problem(node, "'event': ${ without its closing }");
                return null;
            }
            String path = text.substring(open + 2, close);
            if (!path.startsWith("$")) {
                problems.problem(node, "'event': ${…} must hold a JSONPath starting with $");
                return null;
            }
            JsonPath compiled = compile(node, "event", path);
            if (compiled == null) {
                return null;
            }
            parts.add(compiled);
            at = close + 1;
        }
        EventTemplate template = new EventTemplate(parts);
        if (template.literal()) {
            String problem = NotificationRules.eventProblem(text);
            if (problem != null) {
                problems.problem(node, "'event' " + problem);
                return null;
            }
        }
        return template;
    }

    private @Nullable JsonPath compile(@Nullable Node node, String key, String text) {
        if (!balanced(text)) {
            // Jayway drops an unclosed trailing bracket ("$.a[" reads as "$.a"): refuse it here.
            problems.problem(node, "'" + key + "' is not a valid JSONPath (" + text + "): unbalanced brackets");
            return null;
        }
        try {
            return JsonPath.compile(text);
        }
        catch (InvalidPathException | IllegalArgumentException | IndexOutOfBoundsException ex) {
            problems.problem(node, "'" + key + "' is not a valid JSONPath (" + text + "): " + ex.getMessage());
            return null;
        }
    }
}

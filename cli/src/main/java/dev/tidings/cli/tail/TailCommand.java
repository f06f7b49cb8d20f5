package dev.tidings.cli.tail;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import dev.tidings.cli.workspace.CliException;
import dev.tidings.cli.workspace.DevSecret;
import dev.tidings.cli.workspace.Workspace;
import dev.tidings.common.auth.TokenIssuer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tidings tail}: connects to a gateway as a user, like a web client, and prints every frame
 * it receives as one JSON line, until Ctrl-C or the gateway closes the connection.
 */
@Command(name = "tail", sortOptions = false,
        description = {
                "Connect to a gateway as a user and print what it sends, one JSON line per frame.",
                "Frames (welcome, notification, resumed, pong…) go to stdout, compacted to one line each; what the "
                        + "connection does goes to stderr.",
                "Sends {\"type\":\"ping\"} every 25 s. Ctrl-C closes the connection normally. When the gateway "
                        + "closes it, prints the close code and reason and exits 1, or 0 for a normal close (1000).",
                "Without --token, signs a token for --user and --groups (valid 12 h) with TIDINGS_JWT_SECRET or "
                        + ".tidings/dev-secret." },
        footer = {
                "%nExamples:",
                "  tidings tail --user alice --groups Class:201901",
                "  tidings tail --user alice --url ws://127.0.0.1:8082/ws --cursor \"$CURSOR\"",
                "  tidings tail --user alice | jq -c 'select(.type == \"notification\")'" })
public final class TailCommand implements Callable<Integer> {

    /** Environment variable for the default {@code --url}. */
    static final String URL_ENV = "TIDINGS_GATEWAY_URL";
    static final String DEFAULT_URL = "ws://127.0.0.1:8081/ws";
    static final String DEFAULT_USER = "tidings-tail";
    static final Duration PING_EVERY = Duration.ofSeconds(25);
    private static final Duration MINTED_TOKEN_TTL = Duration.ofHours(12);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

    private final Workspace workspace;

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--user", defaultValue = DEFAULT_USER, paramLabel = "USER",
            description = "User id the minted token speaks for. Default: ${DEFAULT-VALUE} (broadcasts only).")
    private String user = DEFAULT_USER;

    @Option(names = "--groups", split = ",", paramLabel = "GROUP",
            description = "Comma-separated groups the minted token puts the user in, e.g. Class:201901.")
    private List<String> groups = new ArrayList<>();

    @Option(names = "--url", paramLabel = "URL",
            description = "Gateway WebSocket URL (http:// and a missing /ws are fixed up). "
                    + "Default: $" + URL_ENV + ", else " + DEFAULT_URL + ".")
    private @Nullable String url;

    @Option(names = "--cursor", paramLabel = "CURSOR",
            description = "Resume from this cursor (from an earlier welcome or notification frame): the gateway "
                    + "first sends what was missed, then {\"type\":\"resumed\"}.")
    private @Nullable String cursor;

    @Option(names = "--token", paramLabel = "JWT",
            description = "Token to connect with, as is; --user and --groups are then ignored.")
    private @Nullable String token;

    public TailCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        if (user.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--user must not be blank");
        }
        URI uri = endpoint();
        String bearer = token != null ? token : mintToken();
        if (token == null) {
            spec.commandLine().getErr().println("tail: as user " + user.strip()
                    + (groupSet().isEmpty() ? "" : " in " + String.join(", ", groupSet())));
        }
        GatewayTail tail = new GatewayTail(spec.commandLine().getOut(), spec.commandLine().getErr(), PING_EVERY);
        Thread onCtrlC = new Thread(() -> tail.stop(CLOSE_GRACE), "tidings-tail-close");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            return tail.run(uri, bearer);
        }
        finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            }
            catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is closing the connection.
            }
        }
    }

    /** The WebSocket URI: {@code --url} (ws, wss, or http(s) mapped to them; {@code /ws} when no path), plus the cursor. */
    URI endpoint() {
        String base = url != null ? url : workspace.env(URL_ENV) != null ? workspace.env(URL_ENV) : DEFAULT_URL;
        base = base.strip();
        URI given;
        try {
            given = new URI(base);
        }
        catch (URISyntaxException ex) {
            throw new CliException("--url '" + base + "' is not a usable URL: " + ex.getMessage());
        }
        String scheme = given.getScheme() == null ? "" : given.getScheme().toLowerCase(Locale.ROOT);
        scheme = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new CliException("--url '" + base + "' is not a WebSocket URL: write e.g. " + DEFAULT_URL);
        };
        if (given.getHost() == null) {
            throw new CliException("--url '" + base + "' names no host: write e.g. " + DEFAULT_URL);
        }
        String path = given.getRawPath() == null || given.getRawPath().isEmpty() || given.getRawPath().equals("/")
                ? "/ws" : given.getRawPath();
        String query = given.getRawQuery();
        if (cursor != null && !cursor.isBlank()) {
            String param = "cursor=" + URLEncoder.encode(cursor.strip(), StandardCharsets.UTF_8);
            query = query == null || query.isEmpty() ? param : query + "&" + param;
        }
        String port = given.getPort() < 0 ? "" : ":" + given.getPort();
        return URI.create(scheme + "://" + given.getHost() + port + path + (query == null ? "" : "?" + query));
    }

    private String mintToken() {
        return new TokenIssuer(DevSecret.require(workspace).value())
                .issue(user.strip(), groupSet(), Set.of(), MINTED_TOKEN_TTL);
    }

    private Set<String> groupSet() {
        Set<String> kept = new LinkedHashSet<>();
        for (String group : groups) {
            if (!group.isBlank()) {
                kept.add(group.strip());
            }
        }
        return kept;
    }
}

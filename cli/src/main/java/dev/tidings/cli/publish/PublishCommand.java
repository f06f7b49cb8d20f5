package dev.tidings.cli.publish;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import dev.tidings.cli.workspace.CliException;
import dev.tidings.cli.workspace.DevSecret;
import dev.tidings.cli.workspace.Workspace;
import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidings publish}: sends one notification through the publisher API and prints the result. */
@Command(name = "publish", sortOptions = false,
        description = {
                "POST one notification to the publisher API (/api/v1/notifications) and print its answer: "
                        + "{\"id\",\"partition\",\"offset\"} on 202, the problem+json otherwise (exit code 1).",
                "Without --token, signs a short-lived publish token with TIDINGS_JWT_SECRET or .tidings/dev-secret." },
        footer = {
                "%nExamples:",
                "  tidings publish --broadcast --event maintenance --payload '{\"at\":\"22:00\"}'",
                "  tidings publish --user alice,bob --event message.received",
                "  tidings publish --group Class:201901 --event grade.published \\",
                "      --payload '{\"grade\":\"A\"}' --id grade-42 --ttl-seconds 3600" })
public final class PublishCommand implements Callable<Integer> {

    /** Environment variable for the default {@code --url}. */
    static final String URL_ENV = "TIDINGS_PUBLISHER_URL";
    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final String PATH = "/api/v1/notifications";
    private static final Duration MINTED_TOKEN_TTL = Duration.ofMinutes(5);
    private static final String MINTED_TOKEN_USER = "tidings-cli";

    private final Workspace workspace;

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Target (exactly one):%n", order = 0)
    private TargetOptions target = new TargetOptions();

    @Option(names = "--event", required = true, paramLabel = "EVENT", order = 10,
            description = "Event type, e.g. grade.published.")
    private String event = "";

    @Option(names = "--payload", defaultValue = "{}", paramLabel = "JSON", order = 11,
            description = "A JSON object. Default: ${DEFAULT-VALUE}.")
    private String payload = "{}";

    @Option(names = "--id", paramLabel = "ID", order = 12,
            description = "Client-chosen id, the idempotency key: re-posting it writes nothing new.")
    private @Nullable String id;

    @Option(names = "--ttl-seconds", paramLabel = "N", order = 13,
            description = "How long the notification stays deliverable, in seconds.")
    private @Nullable Long ttlSeconds;

    @Option(names = "--url", paramLabel = "URL", order = 14,
            description = "Publisher base URL. Default: $" + URL_ENV + ", else " + DEFAULT_URL + ".")
    private @Nullable String url;

    @Option(names = "--token", paramLabel = "JWT", order = 15,
            description = "Bearer token with the notifications:publish scope. Default: one signed with the local secret.")
    private @Nullable String token;

    /** The mutually exclusive target options. */
    static final class TargetOptions {

        @Option(names = "--broadcast", required = true, description = "Everyone connected.")
        boolean broadcast;

        @Option(names = "--user", split = ",", required = true, paramLabel = "USER",
                description = "Comma-separated user ids.")
        List<String> users = new ArrayList<>();

        @Option(names = "--group", split = ",", required = true, paramLabel = "GROUP",
                description = "Comma-separated group ids, e.g. Class:201901.")
        List<String> groups = new ArrayList<>();

        PublishRequest.Target toTarget() {
            if (!users.isEmpty()) {
                return PublishRequest.Target.users(users);
            }
            if (!groups.isEmpty()) {
                return PublishRequest.Target.groups(groups);
            }
            return PublishRequest.Target.broadcast();
        }
    }

    public PublishCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        PublishRequest request = request();
        URI endpoint = endpoint();
        boolean minted = token == null;
        String bearer = token != null ? token : mintPublishToken();
        HttpResponse<String> response = post(endpoint, bearer, request.toJson());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (response.statusCode() / 100 == 2) {
            out.println(response.body());
            out.flush();
            return 0;
        }
        err.println("publish failed: HTTP " + response.statusCode() + " from " + endpoint);
        if (!response.body().isBlank()) {
            err.println(response.body());
        }
        if (response.statusCode() == 401 && minted) {
            err.println("hint: the publisher checks tokens with its own TIDINGS_JWT_SECRET; "
                    + "the CLI signed this one with the " + secretOrigin() + ".");
        }
        err.flush();
        return 1;
    }

    /** The validated request the options describe. */
    PublishRequest request() {
        return new PublishRequest(id, target.toTarget(), event.strip(), PublishRequest.payload(payload), ttlSeconds);
    }

    /** {@code <url>/api/v1/notifications}. */
    URI endpoint() {
        String base = url != null ? url : workspace.env(URL_ENV) != null ? workspace.env(URL_ENV) : DEFAULT_URL;
        base = base.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        try {
            URI uri = URI.create(base + PATH);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        }
        catch (IllegalArgumentException ex) {
            throw new CliException("--url '" + base + "' is not a usable URL: " + ex.getMessage());
        }
    }

    private String mintPublishToken() {
        return new TokenIssuer(DevSecret.require(workspace).value())
                .issue(MINTED_TOKEN_USER, Set.of(), Set.of(Principal.SCOPE_PUBLISH), MINTED_TOKEN_TTL);
    }

    private String secretOrigin() {
        DevSecret secret = DevSecret.require(workspace);
        return secret.file() != null ? "dev secret in " + workspace.display(secret.file()) : DevSecret.ENV_VAR + " of this shell";
    }

    private static HttpResponse<String> post(URI endpoint, String bearer, String body) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (ConnectException ex) {
            throw new CliException("cannot reach the publisher at " + endpoint + " (connection refused): "
                    + "is `tidings up` running, or is --url right?");
        }
        catch (HttpTimeoutException ex) {
            throw new CliException("the publisher at " + endpoint + " did not answer in time: " + ex.getMessage());
        }
        catch (IOException ex) {
            throw new CliException("cannot publish to " + endpoint + ": " + ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while publishing");
        }
    }
}

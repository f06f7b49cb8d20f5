package dev.tidings.cli.inbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import dev.tidings.cli.workspace.CliException;
import dev.tidings.cli.workspace.DevSecret;
import dev.tidings.cli.workspace.Workspace;
import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidings erase-inbox}: erases one user's inbox history and read state (right to erasure). */
@Command(name = "erase-inbox", sortOptions = false,
        description = {
                "DELETE /api/v1/inbox/{user} on a gateway: the user's own inbox items and read marks are erased "
                        + "on every gateway, and no notification to the user published before now is kept again. "
                        + "Notifications to the user's groups and to everyone stay (they are not the user's).",
                "Without --token, signs a short-lived token with the inbox:admin scope with TIDINGS_JWT_SECRET "
                        + "or .tidings/dev-secret." },
        footer = { "%nExample:", "  tidings erase-inbox --user alice --url http://127.0.0.1:8081" })
public final class EraseInboxCommand implements Callable<Integer> {

    static final String DEFAULT_URL = "http://127.0.0.1:8081";
    static final String PATH = "/api/v1/inbox/";
    private static final Duration MINTED_TOKEN_TTL = Duration.ofMinutes(5);

    private final Workspace workspace;

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--user", required = true, paramLabel = "USER", description = "The user id (the tokens' sub).")
    private String user = "";

    @Option(names = "--url", paramLabel = "URL", defaultValue = DEFAULT_URL,
            description = "Any gateway's base URL. Default: ${DEFAULT-VALUE}.")
    private String url = DEFAULT_URL;

    @Option(names = "--token", paramLabel = "JWT",
            description = "Bearer token with the inbox:admin scope. Default: one signed with the local secret.")
    private @Nullable String token;

    public EraseInboxCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        if (user.isBlank()) {
            throw new CliException("--user must not be blank");
        }
        URI endpoint = endpoint();
        String bearer = token != null ? token : new TokenIssuer(DevSecret.require(workspace).value())
                .issue("tidings-cli", Set.of(), Set.of(Principal.SCOPE_INBOX_ADMIN), MINTED_TOKEN_TTL);
        HttpResponse<String> response = delete(endpoint, bearer);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (response.statusCode() / 100 == 2) {
            out.println(response.body());
            out.flush();
            return 0;
        }
        err.println("erase-inbox failed: HTTP " + response.statusCode() + " from " + endpoint);
        err.println(response.body());
        err.flush();
        return 1;
    }

    URI endpoint() {
        String base = url.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        try {
            URI uri = URI.create(base + PATH + URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20"));
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        }
        catch (IllegalArgumentException ex) {
            throw new CliException("--url '" + base + "' is not a usable URL: " + ex.getMessage());
        }
    }

    private static HttpResponse<String> delete(URI endpoint, String bearer) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer).DELETE().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (ConnectException ex) {
            throw new CliException("cannot reach the gateway at " + endpoint + " (connection refused): "
                    + "is `tidings up` running, or is --url right?");
        }
        catch (IOException ex) {
            throw new CliException("cannot erase through " + endpoint + ": " + ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while erasing");
        }
    }
}

package dev.tidings.cli.token;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.tidings.cli.option.DurationConverter;
import dev.tidings.cli.workspace.DevSecret;
import dev.tidings.cli.workspace.Workspace;
import dev.tidings.common.auth.TokenIssuer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tidings token}: prints an HS256 JWT for a user, signed with the local secret. */
@Command(name = "token", sortOptions = false,
        description = {
                "Print a JWT signed with TIDINGS_JWT_SECRET, or else with the dev secret `tidings up` keeps in "
                        + ".tidings/dev-secret.",
                "Only the token goes to stdout: TOKEN=$(tidings token --user alice)" },
        footer = {
                "%nExamples:",
                "  tidings token --user alice --groups Class:201901",
                "  tidings token --user ops --ttl 15m \\",
                "      --scope \"notifications:publish notifications:replay\"" })
public final class TokenCommand implements Callable<Integer> {

    private final Workspace workspace;

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--user", required = true, paramLabel = "USER", description = "User id: the `sub` claim.")
    private String user = "";

    @Option(names = "--groups", split = ",", paramLabel = "GROUP",
            description = "Comma-separated groups the user belongs to: the `groups` claim.")
    private List<String> groups = new ArrayList<>();

    @Option(names = "--scope", split = "[\\s,]+", splitSynopsisLabel = " ", paramLabel = "SCOPE",
            description = "Space-separated scopes, e.g. \"notifications:publish notifications:replay\". "
                    + "Default: none, enough for a WebSocket client.")
    private List<String> scopes = new ArrayList<>();

    @Option(names = "--ttl", defaultValue = "1h", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long the token is valid: 90s, 15m, 1h, 2d or ISO-8601. Default: ${DEFAULT-VALUE}.")
    private Duration ttl = Duration.ofHours(1);

    public TokenCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        if (user.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--user must not be blank");
        }
        String token = new TokenIssuer(DevSecret.require(workspace).value())
                .issue(user, nonBlank(groups), nonBlank(scopes), ttl);
        spec.commandLine().getOut().println(token);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static Set<String> nonBlank(List<String> values) {
        Set<String> kept = new LinkedHashSet<>();
        for (String value : values) {
            if (!value.isBlank()) {
                kept.add(value.strip());
            }
        }
        return kept;
    }
}

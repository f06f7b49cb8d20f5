package dev.tidings.cli.replay;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import dev.tidings.cli.option.DurationConverter;
import dev.tidings.cli.option.TimeArgument;
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

/**
 * {@code tidings replay}: re-publishes, through the publisher API, the notifications published in
 * a time range (optionally to one target, of one event type), or only counts them with
 * {@code --dry-run}; follows a real run's progress until it ends, Ctrl-C cancelling it.
 */
@Command(name = "replay", sortOptions = false,
        description = {
                "Re-publish the notifications of a time range that users missed, or count them with --dry-run.",
                "POST /api/v1/replays on the publisher, which re-publishes the matching records with their original "
                        + "ids (clients drop those they already have), marked as replays; replays are never replayed "
                        + "again.",
                "--dry-run only counts them. A real run counts them first (and prints the count), then "
                        + "re-publishes them at the publisher's pace (tidings.publisher.replay-records-per-second) "
                        + "showing scanned / matched / published on one line until the replay ends or --wait elapses; "
                        + "Ctrl-C cancels the replay (DELETE) and says where it stopped.",
                "A replay without --broadcast, --user or --group reaches every client: it needs --all.",
                "Exit code 0 when the replay (or dry run) completed; 1 when the publisher refused it (its "
                        + "problem+json is printed), it failed or was cancelled, or --wait elapsed.",
                "--json prints the job on stdout, once, when the replay ends or --wait elapses, as one JSON object: "
                        + "{id, dryRun, from, to, scanned, matched, published, status, truncated, error}; progress "
                        + "and messages then go to stderr, and a refused replay prints nothing on stdout.",
                "Without --token, signs a short-lived replay token with TIDINGS_JWT_SECRET or .tidings/dev-secret." },
        footer = {
                "%nTimes: an ISO-8601 instant with a zone (2026-01-31T09:00:00Z), a time before now (-15m, -2h, "
                        + "-1h30m, -2d) or now.",
                "%nExamples:",
                "  tidings replay --from -2h --all --dry-run",
                "  tidings replay --from -2h --group Class:201901 --event grade.published",
                "  tidings replay --from 2026-01-31T09:00:00Z --to 2026-01-31T10:00:00Z \\",
                "      --user alice,bob" })
public final class ReplayCommand implements Callable<Integer> {

    /** Environment variable for the default {@code --url}, shared with {@code tidings publish}. */
    static final String URL_ENV = "TIDINGS_PUBLISHER_URL";
    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final Duration POLL_EVERY = Duration.ofMillis(500);
    private static final String MINTED_TOKEN_USER = "tidings-cli";

    private final Workspace workspace;

    @Spec
    private CommandSpec spec = CommandSpec.create(); // replaced by picocli before call()

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--from", required = true, paramLabel = "TIME", order = 0,
            description = "First publish time to replay, inclusive.")
    private String from = "";

    @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", order = 1,
            description = "End of the range, exclusive. Default: ${DEFAULT-VALUE}.")
    private String to = "now";

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Target (exactly one; --all for every target):%n",
            order = 2)
    private @Nullable TargetOptions target;

    @Option(names = "--event", paramLabel = "EVENT", order = 10,
            description = "Only notifications of this event type, e.g. grade.published.")
    private @Nullable String event;

    @Option(names = "--dry-run", order = 11, description = "Only count what would be replayed.")
    private boolean dryRun;

    @Option(names = "--url", paramLabel = "URL", order = 12,
            description = "Publisher base URL. Default: $" + URL_ENV + ", else " + DEFAULT_URL + ".")
    private @Nullable String url;

    @Option(names = "--token", paramLabel = "JWT", order = 13,
            description = "Bearer token with the notifications:replay scope. Default: one signed with the local secret.")
    private @Nullable String token;

    @Option(names = "--wait", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "DURATION", order = 14,
            description = "How long to follow a real run before leaving it running at the publisher. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration wait = Duration.ofMinutes(10);

    @Option(names = "--json", order = 15,
            description = "Print the job as one JSON object on stdout when it ends; progress goes to stderr.")
    private boolean json;

    /** The mutually exclusive target options. */
    static final class TargetOptions {

        @Option(names = "--broadcast", required = true, description = "Only broadcast notifications.")
        boolean broadcast;

        @Option(names = "--user", split = ",", required = true, paramLabel = "USER",
                description = "Only notifications to any of these comma-separated user ids.")
        List<String> users = new ArrayList<>();

        @Option(names = "--group", split = ",", required = true, paramLabel = "GROUP",
                description = "Only notifications to any of these comma-separated group ids, e.g. Class:201901.")
        List<String> groups = new ArrayList<>();

        @Option(names = "--all", required = true,
                description = "Every target: every client connected may receive the replayed notifications.")
        boolean all;

        ReplayRequest.@Nullable Target toTarget() {
            if (all) {
                return null;
            }
            if (!users.isEmpty()) {
                return ReplayRequest.Target.users(users);
            }
            if (!groups.isEmpty()) {
                return ReplayRequest.Target.groups(groups);
            }
            return ReplayRequest.Target.broadcast();
        }
    }

    public ReplayCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        ReplayRequest request = request(Instant.now());
        boolean minted = token == null;
        ReplayClient client = new ReplayClient(endpoint(), token != null ? token : mintReplayToken());
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // With --json, stdout carries the job alone: what people read goes to stderr.
        PrintWriter out = json ? err : stdout;
        ReplayWatch watch = new ReplayWatch(client, out, err, POLL_EVERY, wait, System.console() != null);
        Thread onCtrlC = new Thread(() -> watch.cancel(ReplayWatch.CANCEL_GRACE.plusSeconds(5)), "tidings-replay-cancel");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            if (!request.dryRun()) {
                // What a real run will re-publish, said before it starts.
                ReplayClient.Answer counted = client.start(request.asDryRun().toJson());
                if (!counted.ok()) {
                    return refused(counted, minted, err);
                }
                ReplayJob count = ReplayJob.fromJson(counted.body());
                if (!count.finished()) {
                    err.println("the dry run is still counting (job " + count.id() + "); not replaying: narrow --from/--to "
                            + "or run with --dry-run and wait for its count");
                    err.flush();
                    return 1;
                }
                out.println("dry run: " + count.matched() + " notifications match (scanned " + count.scanned()
                        + "); replaying them now");
                out.flush();
                if (count.matched() == 0) {
                    out.println("nothing to replay");
                    out.flush();
                    printJson(stdout, count);
                    return 0;
                }
            }
            ReplayClient.Answer answer = client.start(request.toJson());
            if (!answer.ok()) {
                return refused(answer, minted, err);
            }
            int exitCode = watch.follow(ReplayJob.fromJson(answer.body()));
            ReplayJob last = watch.last();
            if (last != null) {
                printJson(stdout, last);
            }
            return exitCode;
        }
        finally {
            watch.release();
            removeHook(onCtrlC);
        }
    }

    /** With {@code --json}, the job on one line of stdout. */
    private void printJson(PrintWriter stdout, ReplayJob job) {
        if (json) {
            stdout.println(ReplayRequest.JSON.writeValueAsString(job.toJson()));
            stdout.flush();
        }
    }

    private int refused(ReplayClient.Answer answer, boolean minted, PrintWriter err) {
        err.println("replay failed: HTTP " + answer.status() + " from " + answer.uri());
        if (!answer.body().isBlank()) {
            err.println(answer.body());
        }
        if ((answer.status() == 401 || answer.status() == 403) && minted) {
            err.println("hint: the publisher checks tokens with its own TIDINGS_JWT_SECRET; the CLI signed this "
                    + "one with the " + secretOrigin() + ".");
        }
        err.flush();
        return 1;
    }

    /** The validated request the options describe, relative times resolved against {@code now}. */
    ReplayRequest request(Instant now) {
        Instant start = TimeArgument.parse("--from", from, now);
        Instant end = TimeArgument.parse("--to", to, now);
        boolean all = target != null && target.all;
        ReplayRequest request = new ReplayRequest(start, end, target != null ? target.toTarget() : null,
                event != null ? event.strip() : null, dryRun, all);
        if (request.target() == null && !all) {
            throw new CliException("a replay without --broadcast, --user or --group reaches every client: "
                    + "give one of them, or --all to mean every target");
        }
        return request;
    }

    /** {@code <url>/api/v1/replays}. */
    URI endpoint() {
        String base = url != null ? url : workspace.env(URL_ENV) != null ? workspace.env(URL_ENV) : DEFAULT_URL;
        base = base.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        try {
            URI uri = URI.create(base + ReplayClient.PATH);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        }
        catch (IllegalArgumentException ex) {
            throw new CliException("--url '" + base + "' is not a usable URL: " + ex.getMessage());
        }
    }

    /** Valid for the whole run: the same token reads the progress until --wait elapses. */
    private String mintReplayToken() {
        return new TokenIssuer(DevSecret.require(workspace).value())
                .issue(MINTED_TOKEN_USER, Set.of(), Set.of(Principal.SCOPE_REPLAY), wait.plusMinutes(5));
    }

    private String secretOrigin() {
        DevSecret secret = DevSecret.require(workspace);
        return secret.file() != null ? "dev secret in " + workspace.display(secret.file()) : DevSecret.ENV_VAR + " of this shell";
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and waits for what this thread printed last.
        }
    }
}

package dev.tidings.publisher.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tidings.common.auth.Principal;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/** The replay operations (start, progress, cancel): what they do, their examples, and their problems. */
final class ReplayOperations {

    static final String REPLAYS_PATH = "/api/v1/replays";
    static final String REPLAY_PATH = "/api/v1/replays/{id}";

    private final ProblemExamples problems;
    private final ProblemResponses shared;

    ReplayOperations(ProblemExamples problems, ProblemResponses shared) {
        this.problems = problems;
        this.shared = shared;
    }

    /** Describes the operations the document has; leaves out those it has not (a build without replays). */
    void describe(OpenAPI openApi) {
        PublisherApiCustomizer.operation(openApi, REPLAYS_PATH, PathItem.HttpMethod.POST).ifPresent(this::start);
        PublisherApiCustomizer.operation(openApi, REPLAY_PATH, PathItem.HttpMethod.GET).ifPresent(this::progress);
        PublisherApiCustomizer.operation(openApi, REPLAY_PATH, PathItem.HttpMethod.DELETE).ifPresent(this::cancel);
    }

    private void start(Operation op) {
        op.operationId("startReplay").tags(List.of("replays"))
                .summary("Replay notifications (dry run by default)")
                .description("""
                        Finds the notifications published in `[from, to)` (by Kafka record timestamp), \
                        optionally only to one target type and ids and of one event, skipping records that \
                        are themselves replays. A dry run (the default: `dryRun` absent or true) only counts \
                        them and answers 200 once the scan is done (202 if it takes longer than 30 s: poll \
                        the job). A real run (`dryRun: false`) answers 202 at once with the job and a \
                        `Location` to poll; it re-publishes each match with its original id, key and payload \
                        and `replayOf` set, so clients that have it already drop it by id. One replay runs \
                        at a time; one stops after `tidings.publisher.max-replay-records` matches and says \
                        `truncated`. A real run re-publishes at `tidings.publisher.replay-records-per-second`; \
                        without a `target` it needs `"all": true` (else 422 naming `all`). Only the last \
                        `tidings.publisher.replay-keep-finished` finished jobs can be read back.""")
                .security(List.of(Parts.scope(Principal.SCOPE_REPLAY)))
                .requestBody(new RequestBody().required(true).content(Parts.json(Schemas.ref("ReplayRequest"),
                        replayExamples())));
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", new ApiResponse().description("A dry run that finished: the counts.")
                .content(Parts.json(Schemas.ref("ReplayJob"), Parts.ordered(
                        "dry run done", Parts.example("Counted, nothing written",
                                replayJob(true, "COMPLETED", 412, 3, 0))))));
        responses.addApiResponse("202", new ApiResponse()
                .description("A real run started (or a dry run still scanning after 30 s): poll `Location`.")
                .addHeaderObject("Location", new Header().description("The job: `/api/v1/replays/{id}`.")
                        .schema(Schemas.string("path").example("/api/v1/replays/0b6c3f0e-2f5d-4c1e-9d1a-6f2b7a9c8e01")))
                .content(Parts.json(Schemas.ref("ReplayJob"), Parts.ordered(
                        "real run started", Parts.example("Re-publishing",
                                replayJob(false, "RUNNING", 0, 0, 0))))));
        responses.addApiResponse("400", shared.malformed(REPLAYS_PATH));
        responses.addApiResponse("401", shared.unauthorized(REPLAYS_PATH));
        responses.addApiResponse("403", shared.forbidden(REPLAYS_PATH, Principal.SCOPE_REPLAY));
        responses.addApiResponse("413", shared.problem("A body larger than `tidings.publisher.max-body-bytes`.",
                Parts.ordered("body too large", problems.bodyTooLarge(REPLAYS_PATH))));
        responses.addApiResponse("415", shared.unsupportedMediaType(REPLAYS_PATH));
        responses.addApiResponse("422", shared.problem("A missing or invalid field, named in `field`.", Parts.ordered(
                "missing from", problems.invalidField(REPLAYS_PATH, "from", "is required (ISO-8601 instant)"),
                "empty range", problems.invalidField(REPLAYS_PATH, "to", "must be after from"),
                "unknown target type", problems.invalidField(REPLAYS_PATH, "target.type",
                        "must be one of broadcast, user, group"))));
        op.responses(responses);
    }

    private void progress(Operation op) {
        op.operationId("getReplay").tags(List.of("replays")).summary("Progress of a replay")
                .description("The job's counters while it runs and its final status. Jobs are kept in the "
                        + "memory of the publisher instance that started them: ask that instance.")
                .security(List.of(Parts.scope(Principal.SCOPE_REPLAY)));
        idParameter(op);
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", new ApiResponse().description("The job.")
                .content(Parts.json(Schemas.ref("ReplayJob"), Parts.ordered("running", Parts.example("Half-way",
                        replayJob(false, "RUNNING", 5120, 40, 37))))));
        responses.addApiResponse("401", shared.unauthorized(REPLAY_PATH));
        responses.addApiResponse("403", shared.forbidden(REPLAY_PATH, Principal.SCOPE_REPLAY));
        responses.addApiResponse("404", new ApiResponse().description("No such job on this instance (empty body)."));
        op.responses(responses);
    }

    private void cancel(Operation op) {
        op.operationId("cancelReplay").tags(List.of("replays")).summary("Cancel a replay")
                .description("Asks the job to stop; it ends with status CANCELLED after the records already "
                        + "sent are acknowledged. Records re-published before the cancel stay published.")
                .security(List.of(Parts.scope(Principal.SCOPE_REPLAY)));
        idParameter(op);
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("202", new ApiResponse().description("Cancel requested; the job as it is now.")
                .content(Parts.json(Schemas.ref("ReplayJob"), Parts.ordered(
                        "cancelling", Parts.example("Stops at the next poll",
                                replayJob(false, "RUNNING", 5120, 40, 37))))));
        responses.addApiResponse("401", shared.unauthorized(REPLAY_PATH));
        responses.addApiResponse("403", shared.forbidden(REPLAY_PATH, Principal.SCOPE_REPLAY));
        responses.addApiResponse("404", new ApiResponse().description("No such job on this instance (empty body)."));
        op.responses(responses);
    }

    private static void idParameter(Operation op) {
        Parameter id = new Parameter().name("id").in("path").required(true).description("The job id.")
                .schema(Schemas.string("job id"));
        op.setParameters(new ArrayList<>(List.of(id)));
    }

    private static Map<String, Example> replayExamples() {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("dry run", Parts.example("Count what alice was sent in an hour", Parts.ordered(
                "from", "2026-11-25T09:00:00Z", "to", "2026-11-25T10:00:00Z",
                "target", Parts.ordered("type", "user", "ids", List.of("alice")), "dryRun", true)));
        examples.put("re-publish", Parts.example("Re-publish one event to a group since a given instant", Parts.ordered(
                "from", "2026-11-25T09:00:00Z",
                "target", Parts.ordered("type", "group", "ids", List.of("Class:201901")),
                "event", "grade.published", "dryRun", false)));
        return examples;
    }

    private static Map<String, Object> replayJob(boolean dryRun, String status, long scanned, long matched,
            long published) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", "0b6c3f0e-2f5d-4c1e-9d1a-6f2b7a9c8e01");
        job.put("dryRun", dryRun);
        job.put("from", "2026-11-25T09:00:00Z");
        job.put("to", "2026-11-25T10:00:00Z");
        job.put("scanned", scanned);
        job.put("matched", matched);
        job.put("published", published);
        job.put("status", status);
        job.put("truncated", false);
        return job;
    }
}

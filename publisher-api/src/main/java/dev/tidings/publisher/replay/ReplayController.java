package dev.tidings.publisher.replay;

import java.time.Duration;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.auth.RequiresScope;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Operator replay: {@code POST /api/v1/replays} (a dry run answers 200 with the counts once the
 * scan is done; a real run answers 202 with the job to poll), {@code GET /api/v1/replays/{id}}
 * for progress, {@code DELETE /api/v1/replays/{id}} to cancel. Scope {@code notifications:replay}.
 */
@RestController
class ReplayController {

    private static final Duration DRY_RUN_WAIT = Duration.ofSeconds(30);

    private final ReplayService replays;

    ReplayController(ReplayService replays) {
        this.replays = replays;
    }

    @PostMapping(path = "/api/v1/replays", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresScope(Principal.SCOPE_REPLAY)
    Mono<ResponseEntity<ReplayJob>> start(@RequestBody ReplayRequest request) {
        ReplayJob job = replays.start(request);
        if (!job.isDryRun()) {
            return Mono.just(ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", "/api/v1/replays/" + job.getId())
                    .body(job));
        }
        // Waiting for the scan polls the job: off the event loop.
        return Mono.fromCallable(() -> replays.await(job, DRY_RUN_WAIT))
                .subscribeOn(Schedulers.boundedElastic())
                .map(done -> ResponseEntity.status(done.getStatus() == ReplayJob.Status.RUNNING ? HttpStatus.ACCEPTED
                        : HttpStatus.OK).body(done));
    }

    @GetMapping("/api/v1/replays/{id}")
    @RequiresScope(Principal.SCOPE_REPLAY)
    ResponseEntity<ReplayJob> get(@PathVariable String id) {
        return ResponseEntity.of(replays.job(id));
    }

    @DeleteMapping("/api/v1/replays/{id}")
    @RequiresScope(Principal.SCOPE_REPLAY)
    ResponseEntity<ReplayJob> cancel(@PathVariable String id) {
        return replays.cancel(id).map(job -> ResponseEntity.status(HttpStatus.ACCEPTED).body(job))
                .orElse(ResponseEntity.notFound().build());
    }
}

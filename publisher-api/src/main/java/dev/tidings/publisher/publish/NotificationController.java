package dev.tidings.publisher.publish;

import java.util.List;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.auth.RequiresScope;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import dev.tidings.publisher.ratelimit.PublishRateLimiter;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/notifications} and its batch form, on WebFlux. Single publishes with a plain
 * JSON body usually take {@link DirectPublishRoute} instead, which answers the same; this serves
 * the rest (CORS, chunked bodies, every request the direct route hands over) and documents the API.
 */
@RestController
class NotificationController {

    private final PublishEndpoint single;
    private final NotificationValidator validator;
    private final NotificationPublisher publisher;
    private final PublisherProperties properties;
    private final PublishRateLimiter limiter;

    NotificationController(PublishEndpoint single, NotificationValidator validator, NotificationPublisher publisher,
            PublisherProperties properties, PublishRateLimiter limiter) {
        this.single = single;
        this.validator = validator;
        this.publisher = publisher;
        this.properties = properties;
        this.limiter = limiter;
    }

    @PostMapping(path = "/api/v1/notifications", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Principal.SCOPE_PUBLISH)
    Mono<PublishResult> publish(@RequestBody PublishRequest request, Principal caller) {
        return single.publish(request, caller);
    }

    /**
     * Publishes up to {@code tidings.publisher.max-batch-size} notifications; every item gets its
     * own result or problem, in request order. The batch as a whole answers 200.
     */
    @PostMapping(path = "/api/v1/notifications:batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresScope(Principal.SCOPE_PUBLISH)
    Mono<BatchResponse> publishBatch(@RequestBody BatchRequest request, Principal caller) {
        List<@Nullable PublishRequest> items = request.notifications();
        if (items == null) {
            throw new InvalidFieldException("notifications", "is required");
        }
        if (items.size() > properties.maxBatchSize()) {
            throw new PayloadTooLargeException("a batch holds at most " + properties.maxBatchSize()
                    + " notifications (tidings.publisher.max-batch-size); this one has " + items.size());
        }
        Batch batch = Batch.validate(items, validator);
        limiter.acquire(caller.userId(), batch.records());
        return publisher.withoutBlocking(caller, batch.claims(), () -> batch.publish(publisher, caller))
                .map(BatchResponse::new);
    }

    /**
     * Response of the batch endpoint.
     *
     * @param results one per item, in request order
     */
    record BatchResponse(List<BatchItem> results) {
    }
}

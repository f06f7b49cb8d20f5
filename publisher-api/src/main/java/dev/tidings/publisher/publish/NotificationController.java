package dev.tidings.publisher.publish;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.auth.RequiresScope;
import dev.tidings.publisher.config.PublisherProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /api/v1/notifications} and its batch form. */
@RestController
class NotificationController {

    private final NotificationValidator validator;
    private final NotificationPublisher publisher;
    private final PublisherProperties properties;

    NotificationController(NotificationValidator validator, NotificationPublisher publisher,
            PublisherProperties properties) {
        this.validator = validator;
        this.publisher = publisher;
        this.properties = properties;
    }

    @PostMapping(path = "/api/v1/notifications", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Principal.SCOPE_PUBLISH)
    Mono<PublishResult> publish(@RequestBody PublishRequest request, Principal caller) {
        return publisher.withoutBlocking(() -> publisher.publish(validator.validate(request, ""), caller));
    }

    /**
     * Publishes up to {@code tidings.publisher.max-batch-size} notifications; every item gets its
     * own result or problem, in request order. The batch as a whole answers 200.
     */
    @PostMapping(path = "/api/v1/notifications:batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresScope(Principal.SCOPE_PUBLISH)
    Mono<BatchResponse> publishBatch(@RequestBody BatchRequest request, Principal caller) {
        return publisher.withoutBlocking(() -> publishAll(request, caller));
    }

    private Mono<BatchResponse> publishAll(BatchRequest request, Principal caller) {
        List<PublishRequest> items = request.notifications();
        if (items == null) {
            throw new InvalidFieldException("notifications", "is required");
        }
        if (items.size() > properties.maxBatchSize()) {
            throw new PayloadTooLargeException("a batch holds at most " + properties.maxBatchSize()
                    + " notifications (tidings.publisher.max-batch-size); this one has " + items.size());
        }
        // Each item's result or problem, in request order; the started sends fill their slots when settled.
        Object[] results = new Object[items.size()];
        List<CompletableFuture<PublishResult>> started = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String prefix = "notifications[" + i + "].";
            try {
                PublishRequest item = items.get(i);
                if (item == null) {
                    throw new InvalidFieldException("notifications[" + i + "]", "must be an object");
                }
                CompletableFuture<PublishResult> send = publisher.start(validator.validate(item, prefix), caller);
                results[i] = send;
                started.add(send);
            }
            catch (RuntimeException ex) {
                results[i] = Problems.of(ex);
            }
        }
        return publisher.settleAll(started).then(Mono.fromSupplier(() -> {
            for (int i = 0; i < results.length; i++) {
                if (results[i] instanceof CompletableFuture<?> send) {
                    try {
                        results[i] = publisher.outcome(send);
                    }
                    catch (RuntimeException ex) {
                        results[i] = Problems.of(ex);
                    }
                }
            }
            return new BatchResponse(Arrays.asList(results));
        }));
    }

    /**
     * Response of the batch endpoint.
     *
     * @param results per item, a {@link PublishResult} or a {@link ProblemDetail}
     */
    record BatchResponse(List<Object> results) {
    }
}

package dev.tidings.publisher.publish;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.auth.RequiresScope;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import dev.tidings.publisher.problem.Problems;
import dev.tidings.publisher.ratelimit.PublishRateLimiter;
import dev.tidings.schema.TargetType;
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
    private final PublishRateLimiter limiter;

    NotificationController(NotificationValidator validator, NotificationPublisher publisher,
            PublisherProperties properties, PublishRateLimiter limiter) {
        this.validator = validator;
        this.publisher = publisher;
        this.properties = properties;
        this.limiter = limiter;
    }

    @PostMapping(path = "/api/v1/notifications", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Principal.SCOPE_PUBLISH)
    Mono<PublishResult> publish(@RequestBody PublishRequest request, Principal caller) {
        ValidNotification notification = validator.validate(request, "");
        limiter.acquire(caller.userId(), records(notification));
        String id = publisher.idFor(notification);
        return publisher.withoutBlocking(notification.id() != null,
                        () -> publisher.publish(notification, id, caller))
                .onErrorMap(KafkaUnavailableException.class, failure -> failure.withId(id));
    }

    /** Records a notification writes: one per user or group id, one for a broadcast. */
    static int records(ValidNotification notification) {
        return notification.targetType() == TargetType.BROADCAST ? 1 : notification.targetIds().size();
    }

    /**
     * Publishes up to {@code tidings.publisher.max-batch-size} notifications; every item gets its
     * own result or problem, in request order. The batch as a whole answers 200.
     */
    @PostMapping(path = "/api/v1/notifications:batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresScope(Principal.SCOPE_PUBLISH)
    Mono<BatchResponse> publishBatch(@RequestBody BatchRequest request, Principal caller) {
        List<PublishRequest> items = request.notifications();
        if (items == null) {
            throw new InvalidFieldException("notifications", "is required");
        }
        if (items.size() > properties.maxBatchSize()) {
            throw new PayloadTooLargeException("a batch holds at most " + properties.maxBatchSize()
                    + " notifications (tidings.publisher.max-batch-size); this one has " + items.size());
        }
        // Each item's problem or valid notification, in request order; the valid ones cost their records.
        Object[] results = new Object[items.size()];
        long records = 0;
        boolean claims = false;
        for (int i = 0; i < items.size(); i++) {
            try {
                PublishRequest item = items.get(i);
                if (item == null) {
                    throw new InvalidFieldException("notifications[" + i + "]", "must be an object");
                }
                ValidNotification valid = validator.validate(item, "notifications[" + i + "].");
                results[i] = valid;
                records += records(valid);
                claims |= valid.id() != null;
            }
            catch (RuntimeException ex) {
                results[i] = Problems.of(ex);
            }
        }
        limiter.acquire(caller.userId(), records);
        return publisher.withoutBlocking(claims, () -> publishAll(results, caller));
    }

    private Mono<BatchResponse> publishAll(Object[] results, Principal caller) {
        // The started sends fill their slots when settled.
        List<NotificationPublisher.Started> started = new ArrayList<>(results.length);
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof ValidNotification valid) {
                NotificationPublisher.Started send = publisher.start(valid, publisher.idFor(valid), caller);
                results[i] = send;
                started.add(send);
            }
        }
        return publisher.settleAll(started).then(Mono.fromSupplier(() -> {
            for (int i = 0; i < results.length; i++) {
                if (results[i] instanceof NotificationPublisher.Started send) {
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

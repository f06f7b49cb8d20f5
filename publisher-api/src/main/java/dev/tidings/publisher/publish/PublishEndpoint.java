package dev.tidings.publisher.publish;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.ratelimit.PublishRateLimiter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What {@code POST /api/v1/notifications} does with a request once its body is read and its caller
 * verified, whichever server path carried it ({@link NotificationController} on WebFlux, or
 * {@link DirectPublishRoute}): validate, take the caller's rate-limit tokens, give it its id, send it
 * without blocking the calling event loop, and emit the result once Kafka acknowledged it.
 *
 * <p>Every failure is a {@code ProblemException}: raised at once for a request refused before anything
 * is sent (invalid, rate-limited, too large), or emitted by the returned {@code Mono}, a 503 naming
 * the id to retry with.
 *
 * <p>Thread-safe: stateless.
 */
@Component
class PublishEndpoint {

    private final NotificationValidator validator;
    private final NotificationPublisher publisher;
    private final PublishRateLimiter limiter;

    PublishEndpoint(NotificationValidator validator, NotificationPublisher publisher, PublishRateLimiter limiter) {
        this.validator = validator;
        this.publisher = publisher;
        this.limiter = limiter;
    }

    Mono<PublishResult> publish(PublishRequest request, Principal caller) {
        ValidNotification notification = validator.validate(request, "");
        limiter.acquire(caller.userId(), notification.records());
        String id = publisher.idFor(notification);
        return publisher.withoutBlocking(caller, notification.id() != null,
                        () -> publisher.publish(notification, id, caller))
                .onErrorMap(KafkaUnavailableException.class, failure -> failure.withId(id));
    }
}

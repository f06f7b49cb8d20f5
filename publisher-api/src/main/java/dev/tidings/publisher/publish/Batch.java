package dev.tidings.publisher.publish;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.problem.InvalidFieldException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The items of one batch request, validated: each is rejected at once (its problem names its field
 * with the item's index, {@code notifications[3].event}) or valid. {@link #publish} starts every
 * valid item before it settles any, under one timer, and answers one {@link BatchItem} per item in
 * request order.
 *
 * <p>Immutable once validated.
 */
final class Batch {

    private final @Nullable BatchItem[] rejected;
    private final List<Numbered> valid;

    private Batch(@Nullable BatchItem[] rejected, List<Numbered> valid) {
        this.rejected = rejected;
        this.valid = valid;
    }

    /** Validates every item; an item that is not an object, or not valid, is rejected with its own problem. */
    static Batch validate(List<@Nullable PublishRequest> items, NotificationValidator validator) {
        @Nullable BatchItem[] rejected = new BatchItem[items.size()];
        List<Numbered> valid = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            PublishRequest item = items.get(i);
            try {
                if (item == null) {
                    throw new InvalidFieldException("notifications[" + i + "]", "must be an object");
                }
                valid.add(new Numbered(i, validator.validate(item, "notifications[" + i + "].")));
            }
            catch (RuntimeException ex) {
                rejected[i] = BatchItem.rejected(ex);
            }
        }
        return new Batch(rejected, List.copyOf(valid));
    }

    /** Records the valid items write, which is what the batch costs of its caller's rate limit. */
    long records() {
        return valid.stream().mapToLong(item -> item.notification().records()).sum();
    }

    /** Whether a valid item has a caller-given id, so that publishing it claims an idempotency key. */
    boolean claims() {
        return valid.stream().anyMatch(item -> item.notification().id() != null);
    }

    /**
     * Starts publishing every valid item at once (so call it where sends may be made:
     * {@link NotificationPublisher#withoutBlocking}); the result completes, and never fails, once
     * each has its outcome or {@code tidings.publisher.send-timeout} passed.
     */
    Mono<List<BatchItem>> publish(NotificationPublisher publisher, Principal caller) {
        List<NotificationPublisher.Started> started = new ArrayList<>(valid.size());
        for (Numbered item : valid) {
            started.add(publisher.start(item.notification(), publisher.idFor(item.notification()), caller));
        }
        return publisher.settleAll(started).then(Mono.fromSupplier(() -> {
            @Nullable BatchItem[] results = Arrays.copyOf(rejected, rejected.length);
            for (int i = 0; i < valid.size(); i++) {
                results[valid.get(i).index()] = publisher.outcome(started.get(i));
            }
            return List.of(results);
        }));
    }

    /** A valid item and its place in the batch. */
    private record Numbered(int index, ValidNotification notification) {
    }
}

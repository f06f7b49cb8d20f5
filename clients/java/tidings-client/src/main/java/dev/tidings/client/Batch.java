package dev.tidings.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Notifications sent in one request to {@code POST /api/v1/notifications:batch}: made by
 * {@link Tidings#batch()}, filled with {@link #add}, sent with {@link #send()}. Each item is
 * accepted or refused on its own, so one invalid item does not hold the others back.
 *
 * <p>Not thread-safe: a builder for one thread.
 */
public final class Batch {

    private final Tidings client;
    private final List<Publication.Frozen> items = new ArrayList<>();

    Batch(Tidings client) {
        this.client = client;
    }

    /**
     * Adds a notification as it stands now, with its id (the one given, or a UUID made now);
     * changes made to {@code notification} afterwards are not in this batch.
     *
     * @throws IllegalStateException when its event or payload is missing
     */
    public Batch add(Publication notification) {
        items.add(notification.freeze());
        return this;
    }

    /** How many notifications were added. */
    public int size() {
        return items.size();
    }

    /**
     * Sends every notification added, and waits until each has its outcome. A request refused as a
     * whole with a 429 or a 503, or that got no answer, is sent again; so are the items refused with
     * their own 503; each time with the same ids, as the client's {@link RetryPolicy} allows. Items
     * still refused with a 503 when the retries are spent are in the result as their problem.
     *
     * <p>Once a first answer gave each item its result, the batch is no longer refused as a whole: a
     * re-send of its 503 items that fails leaves them with their 503 problem (and the id to retry
     * them with). An empty batch is answered at once, without a request.
     *
     * @return one result per item, in the order they were added
     * @throws TidingsProblemException when the publisher refused the batch as a whole (more items
     *     than its {@code max-batch-size}, a bad token, the rate limit after the retries…)
     * @throws TidingsUnreachableException when the publisher did not answer, retries included
     */
    public BatchResult send() {
        return client.send(List.copyOf(items));
    }
}

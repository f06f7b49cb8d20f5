package dev.tidings.client;

import java.util.List;

/**
 * What became of each notification of a batch, in the order they were added.
 *
 * @param ids the id each notification was sent with (the caller's or the client's), to retry one with
 * @param items each notification's result: {@link Accepted} or a {@link TidingsProblem}
 */
public record BatchResult(List<String> ids, List<ItemResult> items) {

    public BatchResult {
        ids = List.copyOf(ids);
        items = List.copyOf(items);
        if (ids.size() != items.size()) {
            throw new IllegalArgumentException("one id per item: " + ids.size() + " ids, " + items.size() + " items");
        }
    }

    /** The result of the notification added {@code index}-th, from 0. */
    public ItemResult get(int index) {
        return items.get(index);
    }

    /** How many notifications the batch held. */
    public int size() {
        return items.size();
    }

    /** Whether every notification was accepted. */
    public boolean allAccepted() {
        return items.stream().allMatch(ItemResult::accepted);
    }

    /** The accepted notifications' results, in order. */
    public List<Accepted> accepted() {
        return items.stream().filter(Accepted.class::isInstance).map(Accepted.class::cast).toList();
    }

    /** The refused notifications' problems, in order. */
    public List<TidingsProblem> problems() {
        return items.stream().filter(TidingsProblem.class::isInstance).map(TidingsProblem.class::cast).toList();
    }
}

package dev.tidings.bench.population;

import java.util.SplittableRandom;

import org.jspecify.annotations.Nullable;

/**
 * The notifications a run publishes: {@code total} sequence numbers, each with its kind (user,
 * group or broadcast) and target drawn up front from a seeded generator, so a run is reproducible
 * and the ledger knows, for every delivery, whether it was addressed to the client that got it.
 * A plan is of one kind (a {@link Scenario}) or a {@link TargetMix} of all three.
 *
 * <p>Thread-safe: immutable after construction.
 */
public final class PublishPlan {

    private static final Scenario[] KINDS = Scenario.values();

    private final Population population;
    private final byte[] kinds;
    private final int[] targets;

    /** A plan whose every notification is of kind {@code scenario}. */
    public PublishPlan(Scenario scenario, Population population, int total, long seed) {
        this(population, total, seed, scenario, null);
    }

    /** A plan whose notifications' kinds are drawn from {@code mix} (kind, then target, per notification). */
    public static PublishPlan mixed(Population population, int total, long seed, TargetMix mix) {
        return new PublishPlan(population, total, seed, null, mix);
    }

    private PublishPlan(Population population, int total, long seed, @Nullable Scenario scenario,
            @Nullable TargetMix mix) {
        if (total < 1) {
            throw new IllegalArgumentException("a run publishes at least one notification, planned " + total);
        }
        this.population = population;
        this.kinds = new byte[total];
        this.targets = new int[total];
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 0; s < total; s++) {
            Scenario kind = mix != null ? mix.draw(random) : java.util.Objects.requireNonNull(scenario);
            kinds[s] = (byte) kind.ordinal();
            targets[s] = switch (kind) {
                case BROADCAST -> -1;
                case USER -> random.nextInt(population.clients());
                case GROUP -> random.nextInt(population.groups());
            };
        }
    }

    public Population population() {
        return population;
    }

    /** Number of notifications planned. */
    public int total() {
        return targets.length;
    }

    /** What {@code seq} is addressed to: one user, one group, or everyone. */
    public Scenario kind(int seq) {
        return KINDS[kinds[seq]];
    }

    /** The client (user) or group (group) index that {@code seq} addresses; -1 for broadcast. */
    public int target(int seq) {
        return targets[seq];
    }

    /** Whether {@code seq} is a planned sequence number. */
    public boolean contains(int seq) {
        return seq >= 0 && seq < targets.length;
    }

    /** How many clients should receive {@code seq}. */
    public int recipients(int seq) {
        return switch (kind(seq)) {
            case BROADCAST -> population.clients();
            case USER -> 1;
            case GROUP -> population.groupSize(targets[seq]);
        };
    }

    /** Whether {@code seq} is addressed to {@code client}. */
    public boolean addresses(int seq, int client) {
        return switch (kind(seq)) {
            case BROADCAST -> true;
            case USER -> targets[seq] == client;
            case GROUP -> targets[seq] == population.groupOf(client);
        };
    }

    /** The publisher API's {@code target} object for {@code seq}, as JSON. */
    public String targetJson(int seq) {
        return switch (kind(seq)) {
            case BROADCAST -> "{\"type\":\"broadcast\"}";
            case USER -> "{\"type\":\"user\",\"ids\":[\"" + Population.userId(targets[seq]) + "\"]}";
            case GROUP -> "{\"type\":\"group\",\"ids\":[\"" + Population.groupId(targets[seq]) + "\"]}";
        };
    }

    /** The Kafka record key (routing key) of {@code seq}. */
    public String routingKey(int seq) {
        return switch (kind(seq)) {
            case BROADCAST -> "broadcast";
            case USER -> "user:" + Population.userId(targets[seq]);
            case GROUP -> "group:" + Population.groupId(targets[seq]);
        };
    }

    /** The target id of {@code seq} (user or group id); empty for broadcast. */
    public String targetId(int seq) {
        return switch (kind(seq)) {
            case BROADCAST -> "";
            case USER -> Population.userId(targets[seq]);
            case GROUP -> Population.groupId(targets[seq]);
        };
    }
}

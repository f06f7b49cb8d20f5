package dev.tidings.bench.population;

import java.util.SplittableRandom;

/**
 * The notifications a run publishes: {@code total} sequence numbers, each with its target drawn
 * up front from a seeded generator, so a run is reproducible and the ledger knows, for every
 * delivery, whether it was addressed to the client that got it.
 *
 * <p>Thread-safe: immutable after construction.
 */
public final class PublishPlan {

    private final Scenario scenario;
    private final Population population;
    private final int[] targets;

    public PublishPlan(Scenario scenario, Population population, int total, long seed) {
        if (total < 1) {
            throw new IllegalArgumentException("a run publishes at least one notification, planned " + total);
        }
        this.scenario = scenario;
        this.population = population;
        this.targets = new int[total];
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 0; s < total; s++) {
            targets[s] = switch (scenario) {
                case BROADCAST -> -1;
                case USER -> random.nextInt(population.clients());
                case GROUP -> random.nextInt(population.groups());
            };
        }
    }

    public Scenario scenario() {
        return scenario;
    }

    public Population population() {
        return population;
    }

    /** Number of notifications planned. */
    public int total() {
        return targets.length;
    }

    /** The client (user scenario) or group (group scenario) index that {@code seq} addresses; -1 for broadcast. */
    public int target(int seq) {
        return targets[seq];
    }

    /** Whether {@code seq} is a planned sequence number. */
    public boolean contains(int seq) {
        return seq >= 0 && seq < targets.length;
    }

    /** How many clients should receive {@code seq}. */
    public int recipients(int seq) {
        return switch (scenario) {
            case BROADCAST -> population.clients();
            case USER -> 1;
            case GROUP -> population.groupSize(targets[seq]);
        };
    }

    /** Whether {@code seq} is addressed to {@code client}. */
    public boolean addresses(int seq, int client) {
        return switch (scenario) {
            case BROADCAST -> true;
            case USER -> targets[seq] == client;
            case GROUP -> targets[seq] == population.groupOf(client);
        };
    }

    /** The publisher API's {@code target} object for {@code seq}, as JSON. */
    public String targetJson(int seq) {
        return switch (scenario) {
            case BROADCAST -> "{\"type\":\"broadcast\"}";
            case USER -> "{\"type\":\"user\",\"ids\":[\"" + Population.userId(targets[seq]) + "\"]}";
            case GROUP -> "{\"type\":\"group\",\"ids\":[\"" + Population.groupId(targets[seq]) + "\"]}";
        };
    }

    /** The Kafka record key (routing key) of {@code seq}. */
    public String routingKey(int seq) {
        return switch (scenario) {
            case BROADCAST -> "broadcast";
            case USER -> "user:" + Population.userId(targets[seq]);
            case GROUP -> "group:" + Population.groupId(targets[seq]);
        };
    }

    /** The target id of {@code seq} (user or group id); empty for broadcast. */
    public String targetId(int seq) {
        return switch (scenario) {
            case BROADCAST -> "";
            case USER -> Population.userId(targets[seq]);
            case GROUP -> Population.groupId(targets[seq]);
        };
    }
}

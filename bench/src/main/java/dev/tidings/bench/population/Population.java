package dev.tidings.bench.population;

/**
 * The simulated clients, laid out like the Socket.IO peer harness: client {@code i} is user
 * {@code u<i>}, connects to gateway {@code i % gateways} and belongs to group
 * {@code g<floor(i * G / N)>} with {@code G = ceil(N / groupSize)}. Consecutive clients share a
 * group and alternate gateways, so every group has members on every gateway.
 *
 * <p>Thread-safe: immutable.
 */
public final class Population {

    private final int clients;
    private final int groups;
    private final int gateways;
    private final int[] groupSizes;

    public Population(int clients, int groupSize, int gateways) {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be at least 1, was " + clients);
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size must be at least 1, was " + groupSize);
        }
        if (gateways < 1) {
            throw new IllegalArgumentException("gateways must be at least 1, was " + gateways);
        }
        this.clients = clients;
        this.groups = (clients + groupSize - 1) / groupSize;
        this.gateways = gateways;
        this.groupSizes = new int[groups];
        for (int i = 0; i < clients; i++) {
            groupSizes[groupOf(i)]++;
        }
    }

    public int clients() {
        return clients;
    }

    public int groups() {
        return groups;
    }

    public int gateways() {
        return gateways;
    }

    /** The group index of client {@code i}. */
    public int groupOf(int client) {
        return (int) ((long) client * groups / clients);
    }

    /** Members of group {@code g}. */
    public int groupSize(int group) {
        return groupSizes[group];
    }

    /** Which gateway client {@code i} connects to. */
    public int gatewayOf(int client) {
        return client % gateways;
    }

    /** The user id of client {@code i}. */
    public static String userId(int client) {
        return "u" + client;
    }

    /** The group id of group index {@code g}. */
    public static String groupId(int group) {
        return "g" + group;
    }
}

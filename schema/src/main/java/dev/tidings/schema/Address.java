package dev.tidings.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Who a record is for, one address at a time: everyone, one user, or one group. A record's target
 * names one or more addresses ({@link #of(Target)}); a connected user listens on its own
 * ({@link #listenedBy}); a record reaches the user when the two share one. Every part of Tidings that
 * asks "who is this record for" — the gateway's router, recovery window and catch-up reader, the
 * operator replay's filter, the publisher's record keys — asks it here.
 *
 * @param type broadcast, user or group
 * @param id the user or group id; empty for broadcast
 */
public record Address(TargetType type, String id) {

    /** Everyone. */
    public static final Address BROADCAST = new Address(TargetType.BROADCAST, "");

    public Address {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (type == TargetType.BROADCAST && !id.isEmpty()) {
            throw new IllegalArgumentException("a broadcast address has no id: " + id);
        }
    }

    /** One user. */
    public static Address user(String userId) {
        return new Address(TargetType.USER, userId);
    }

    /** The members of one group. */
    public static Address group(String groupId) {
        return new Address(TargetType.GROUP, groupId);
    }

    /** The addresses a target names: {@link #BROADCAST}, or one per id. */
    public static List<Address> of(Target target) {
        TargetType type = target.getType();
        if (type == TargetType.BROADCAST) {
            return List.of(BROADCAST);
        }
        List<String> ids = target.getIds();
        if (ids.size() == 1) {
            return List.of(new Address(type, ids.get(0)));
        }
        List<Address> addresses = new ArrayList<>(ids.size());
        for (String id : ids) {
            addresses.add(new Address(type, id));
        }
        return addresses;
    }

    /** The addresses a user listens on: everyone's, its own, and each of its groups'. */
    public static List<Address> listenedBy(String userId, Collection<String> groups) {
        List<Address> addresses = new ArrayList<>(groups.size() + 2);
        addresses.add(BROADCAST);
        addresses.add(user(userId));
        for (String group : groups) {
            addresses.add(group(group));
        }
        return addresses;
    }

    /** The target of a record to this address alone: Tidings writes one record per address. */
    public Target target() {
        return new Target(type, type == TargetType.BROADCAST ? List.of() : List.of(id));
    }

    /**
     * The Kafka key of a record to this address ({@code broadcast}, {@code user:<id>},
     * {@code group:<id>}): one key per address keeps the notifications to it in order.
     */
    public String routingKey() {
        return switch (type) {
            case BROADCAST -> "broadcast";
            case USER -> "user:" + id;
            case GROUP -> "group:" + id;
        };
    }
}

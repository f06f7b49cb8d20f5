package dev.tidings.publisher.replay;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.TargetType;
import org.jspecify.annotations.Nullable;

/**
 * What an operator's replay selects: records of one target type (any, when absent), to any of some
 * addresses (any, when none are named), of one event (any, when absent), and never records that are
 * replays themselves.
 */
record ReplayFilter(@Nullable TargetType type, Set<Address> addresses, @Nullable String event) {

    ReplayFilter {
        addresses = Set.copyOf(addresses);
    }

    /** The filter a replay request asks for; an invalid target is an {@link InvalidFieldException}. */
    static ReplayFilter of(ReplayRequest request) {
        TargetType type = null;
        Set<Address> addresses = new HashSet<>();
        if (request.target() != null) {
            String name = request.target().type();
            if (name == null) {
                throw new InvalidFieldException("target.type", "is required when target is given");
            }
            try {
                type = TargetType.valueOf(name.toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidFieldException("target.type", "must be one of broadcast, user, group");
            }
            if (type != TargetType.BROADCAST && request.target().ids() != null) {
                for (String id : request.target().ids()) {
                    addresses.add(new Address(type, id));
                }
            }
        }
        return new ReplayFilter(type, addresses, request.event());
    }

    /** Whether the replay re-publishes this record. */
    boolean matches(Notification n) {
        if (n.getReplayOf() != null) {
            return false;
        }
        if (event != null && !event.equals(n.getEvent())) {
            return false;
        }
        if (type == null) {
            return true;
        }
        if (n.getTarget().getType() != type) {
            return false;
        }
        if (addresses.isEmpty()) {
            return true;
        }
        for (Address address : Address.of(n.getTarget())) {
            if (addresses.contains(address)) {
                return true;
            }
        }
        return false;
    }
}

package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void aTargetNamesOneAddressPerIdAndABroadcastNamesEveryone() {
        assertThat(Address.of(new Target(TargetType.GROUP, List.of("Class:201901", "Class:201902"))))
                .containsExactly(Address.group("Class:201901"), Address.group("Class:201902"));
        assertThat(Address.of(new Target(TargetType.USER, List.of("alice")))).containsExactly(Address.user("alice"));
        assertThat(Address.of(new Target(TargetType.BROADCAST, List.of()))).containsExactly(Address.BROADCAST);
    }

    @Test
    void aUserListensOnEveryonesAddressItsOwnAndItsGroups() {
        assertThat(Address.listenedBy("alice", Set.of("Class:201901")))
                .containsExactly(Address.BROADCAST, Address.user("alice"), Address.group("Class:201901"));
    }

    @Test
    void aRecordReachesAUserWhenItsTargetAndTheUserShareAnAddress() {
        List<Address> listened = Address.listenedBy("alice", Set.of("Class:201901"));

        assertThat(Address.of(new Target(TargetType.GROUP, List.of("Class:201901")))).containsAnyElementsOf(listened);
        assertThat(Address.of(new Target(TargetType.USER, List.of("bob")))).doesNotContainAnyElementsOf(listened);
        assertThat(Address.of(new Target(TargetType.GROUP, List.of("alice"))))
                .as("a group named like a user is another address").doesNotContainAnyElementsOf(listened);
    }

    @Test
    void eachAddressIsItsOwnRoutingKeySoKafkaKeepsItsNotificationsInOrder() {
        assertThat(Address.BROADCAST.routingKey()).isEqualTo("broadcast");
        assertThat(Address.user("alice").routingKey()).isEqualTo("user:alice");
        assertThat(Address.group("Class:201901").routingKey()).isEqualTo("group:Class:201901");
    }

    @Test
    void aBroadcastAddressHasNoId() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Address(TargetType.BROADCAST, "x"));
    }
}

/**
 * The inbox: each user's history and read state, materialised from the notifications topic and the
 * compacted read-state topic by a Kafka Streams application that every gateway of a deployment joins,
 * so each gateway holds the state of some addresses and any gateway answers for any user by asking the
 * owners of that user's addresses.
 */
@NullMarked
package dev.tidings.gateway.inbox;

import org.jspecify.annotations.NullMarked;

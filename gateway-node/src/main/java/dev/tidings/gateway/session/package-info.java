/**
 * Client sessions and how frames reach them: the index of sessions by user and group with the node's
 * admission limits, the gathering of a poll's deliveries per event loop, the bounds that keep a
 * backlog in Kafka rather than in memory, and each session's bounded write path.
 */
@NullMarked
package dev.tidings.gateway.session;

import org.jspecify.annotations.NullMarked;

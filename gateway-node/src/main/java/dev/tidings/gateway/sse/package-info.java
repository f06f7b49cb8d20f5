/**
 * Server-Sent Events for clients that cannot use WebSockets: {@code GET /sse} streams the same
 * frames as {@code /ws}, each an event whose {@code id} is its cursor, and resumes from
 * {@code Last-Event-ID} on any node.
 */
@NullMarked
package dev.tidings.gateway.sse;

import org.jspecify.annotations.NullMarked;

/**
 * Record values turned into JSON for routes to read: strict JSON, Tidings' own Avro, and Avro framed
 * by Confluent's serializer with its schema from a Confluent-compatible registry. What cannot be
 * decoded is a {@link dev.tidings.router.decode.RouteFailure} (dead-lettered); what cannot be decoded
 * yet is a {@link dev.tidings.router.decode.SourceUnavailableException} (retried).
 */
@NullMarked
package dev.tidings.router.decode;

import org.jspecify.annotations.NullMarked;

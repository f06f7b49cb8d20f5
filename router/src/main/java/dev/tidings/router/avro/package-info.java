/**
 * Avro values framed by Confluent's serializer, with their schemas from a Confluent-compatible
 * registry, turned into JSON for routes to read.
 */
@NullMarked
package dev.tidings.router.avro;

import org.jspecify.annotations.NullMarked;

/**
 * The Kafka record of Tidings: the Avro {@code Notification} schema, its history, and the
 * Kafka serializer and deserializer using Avro single-object encoding.
 */
@NullMarked
package dev.tidings.schema;

import org.jspecify.annotations.NullMarked;

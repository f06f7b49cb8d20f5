/** The publisher API: HTTP in, Avro records to Kafka out. */
@NullMarked
package dev.tidings.publisher;

import org.jspecify.annotations.NullMarked;

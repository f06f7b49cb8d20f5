/** Publishing notifications: request parsing, validation, idempotency and the Kafka write. */
@NullMarked
package dev.tidings.publisher.publish;

import org.jspecify.annotations.NullMarked;

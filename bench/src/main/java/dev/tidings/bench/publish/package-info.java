/** Fixed-rate publishing through the publisher HTTP API or straight to Kafka. */
@NullMarked
package dev.tidings.bench.publish;

import org.jspecify.annotations.NullMarked;

/**
 * The router service: reads product services' own Kafka topics as a routes file says and writes
 * notifications to {@code tidings.notifications}, keyed as the publisher keys them.
 */
@NullMarked
package dev.tidings.router;

import org.jspecify.annotations.NullMarked;

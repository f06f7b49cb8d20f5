/**
 * The routing engine: one consumer group per route, records turned into notifications keyed as the
 * publisher keys them, written by an acks=all idempotent producer, offsets committed only once every
 * record they cover is acknowledged.
 */
@NullMarked
package dev.tidings.router.engine;

import org.jspecify.annotations.NullMarked;

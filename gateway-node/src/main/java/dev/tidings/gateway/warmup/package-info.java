/**
 * The node's JIT warm-up: before it reports ready, it runs its own connection and delivery paths on loopback,
 * so that a fresh process serves its first clients with compiled code.
 */
@NullMarked
package dev.tidings.gateway.warmup;

import org.jspecify.annotations.NullMarked;

/** Threads for the work of a service that is not on the live path, which the scheduler may run last. */
@NullMarked
package dev.tidings.common.threads;

import org.jspecify.annotations.NullMarked;

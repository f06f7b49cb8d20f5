/** Cursors and resuming a client from its cursor. */
@NullMarked
package dev.tidings.gateway.resume;

import org.jspecify.annotations.NullMarked;

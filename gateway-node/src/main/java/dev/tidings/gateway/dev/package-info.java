/** Local-development helpers, disabled unless explicitly enabled. */
@NullMarked
package dev.tidings.gateway.dev;

import org.jspecify.annotations.NullMarked;

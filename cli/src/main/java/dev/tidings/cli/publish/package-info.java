/** {@code tidings publish}: one notification through the publisher HTTP API. */
@NullMarked
package dev.tidings.cli.publish;

import org.jspecify.annotations.NullMarked;

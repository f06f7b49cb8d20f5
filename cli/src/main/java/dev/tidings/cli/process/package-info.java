/** Child OS processes the CLI starts, stops and watches, and the loopback ports they use. */
@NullMarked
package dev.tidings.cli.process;

import org.jspecify.annotations.NullMarked;

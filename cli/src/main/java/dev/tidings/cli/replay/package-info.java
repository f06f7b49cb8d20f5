/** {@code tidings replay}: operator replay through the publisher API, with a dry run, progress and Ctrl-C to cancel. */
@NullMarked
package dev.tidings.cli.replay;

import org.jspecify.annotations.NullMarked;

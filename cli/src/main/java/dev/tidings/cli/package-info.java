/** The {@code tidings} command line: entry point and the subcommands' wiring. */
@NullMarked
package dev.tidings.cli;

import org.jspecify.annotations.NullMarked;

/** Option value types shared by several subcommands. */
@NullMarked
package dev.tidings.cli.option;

import org.jspecify.annotations.NullMarked;

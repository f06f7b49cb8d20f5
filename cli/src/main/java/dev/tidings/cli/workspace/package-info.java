/** Where the CLI runs: the repository root, its local state under {@code .tidings/}, the environment and the dev secret. */
@NullMarked
package dev.tidings.cli.workspace;

import org.jspecify.annotations.NullMarked;

/** {@code tidings routes}: the router's routes files. */
@NullMarked
package dev.tidings.cli.routes;

import org.jspecify.annotations.NullMarked;

/** {@code tidings up}: a local cluster of a broker, the publisher API and N gateway nodes, each its own process. */
@NullMarked
package dev.tidings.cli.up;

import org.jspecify.annotations.NullMarked;

/** Load generator and benchmark harness for a running Tidings cluster. */
@NullMarked
package dev.tidings.bench;

import org.jspecify.annotations.NullMarked;

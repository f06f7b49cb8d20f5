/** Resource probes of the processes under test: CPU, RSS and heap, read from /proc and the actuator. */
@NullMarked
package dev.tidings.bench.probe;

import org.jspecify.annotations.NullMarked;

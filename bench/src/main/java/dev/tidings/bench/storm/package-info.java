/** The reconnect storm: following every client of a killed gateway node until the survivor resumed it. */
@NullMarked
package dev.tidings.bench.storm;

import org.jspecify.annotations.NullMarked;

/** The opaque resume cursor: topic identity plus a per-partition offset vector. */
@NullMarked
package dev.tidings.common.cursor;

import org.jspecify.annotations.NullMarked;

/** Who the simulated clients are: user ids, groups, gateway placement, and what each published notification addresses. */
@NullMarked
package dev.tidings.bench.population;

import org.jspecify.annotations.NullMarked;

/** What the services' warm-ups before readiness share: when the JIT has settled, and where to call oneself. */
@NullMarked
package dev.tidings.common.warmup;

import org.jspecify.annotations.NullMarked;

/** The gateway node's orderly shutdown: stop admitting, stop consuming, then close every session with 1013. */
@NullMarked
package dev.tidings.gateway.lifecycle;

import org.jspecify.annotations.NullMarked;

/** Validated configuration of a gateway node. */
@NullMarked
package dev.tidings.gateway.config;

import org.jspecify.annotations.NullMarked;

/** Validated configuration of the publisher. */
@NullMarked
package dev.tidings.publisher.config;

import org.jspecify.annotations.NullMarked;

/** Limits on what a request may make the publisher read: the request body size. */
@NullMarked
package dev.tidings.publisher.limits;

import org.jspecify.annotations.NullMarked;

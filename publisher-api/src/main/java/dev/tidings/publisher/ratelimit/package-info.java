/** Per-caller publish rate limiting in records: a token bucket per token {@code sub}, 429 with {@code Retry-After}. */
@NullMarked
package dev.tidings.publisher.ratelimit;

import org.jspecify.annotations.NullMarked;

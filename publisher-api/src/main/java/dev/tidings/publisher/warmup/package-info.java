/** The publisher's warm-up before it reports ready: its own requests on loopback, written to a topic of their own. */
@NullMarked
package dev.tidings.publisher.warmup;

import org.jspecify.annotations.NullMarked;

/** Operator replay: find notifications by time range, target and event, count them, and re-publish them. */
@NullMarked
package dev.tidings.publisher.replay;

import org.jspecify.annotations.NullMarked;

/** Consuming the notification topic and routing each record to the addressed local sessions. */
@NullMarked
package dev.tidings.gateway.routing;

import org.jspecify.annotations.NullMarked;

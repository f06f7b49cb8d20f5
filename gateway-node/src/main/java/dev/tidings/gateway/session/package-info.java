/** Client sessions, their bounded outbound queues, and the index of sessions by user and group. */
@NullMarked
package dev.tidings.gateway.session;

import org.jspecify.annotations.NullMarked;

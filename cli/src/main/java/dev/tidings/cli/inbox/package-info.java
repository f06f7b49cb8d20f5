/** {@code tidings erase-inbox}: operator commands on users' inboxes. */
@NullMarked
package dev.tidings.cli.inbox;

import org.jspecify.annotations.NullMarked;

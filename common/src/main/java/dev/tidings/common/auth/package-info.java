/** JWT verification and (for local development) issuing, with pinned algorithms. */
@NullMarked
package dev.tidings.common.auth;

import org.jspecify.annotations.NullMarked;

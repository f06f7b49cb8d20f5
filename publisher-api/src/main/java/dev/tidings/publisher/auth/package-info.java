/** Bearer-token authentication and scope checks of the publisher API. */
@NullMarked
package dev.tidings.publisher.auth;

import org.jspecify.annotations.NullMarked;

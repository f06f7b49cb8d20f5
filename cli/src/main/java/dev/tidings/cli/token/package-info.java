/** {@code tidings token}: JWTs signed with the dev secret. */
@NullMarked
package dev.tidings.cli.token;

import org.jspecify.annotations.NullMarked;

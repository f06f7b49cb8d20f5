/**
 * Spring Boot auto-configuration of the Tidings publisher client: a
 * {@link dev.tidings.client.Tidings} bean from {@code tidings.publisher.*}, with a static token or
 * OAuth2 client credentials.
 */
@NullMarked
package dev.tidings.client.autoconfigure;

import org.jspecify.annotations.NullMarked;

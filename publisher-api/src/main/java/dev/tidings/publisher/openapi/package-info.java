/**
 * The publisher's OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}):
 * schemas, examples and problem responses written to match what the controllers actually do.
 */
@NullMarked
package dev.tidings.publisher.openapi;

import org.jspecify.annotations.NullMarked;

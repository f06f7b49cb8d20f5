/**
 * The routes file: which topics the router reads, how it picks records and how it turns each one
 * into notifications. {@link dev.tidings.router.routes.RoutesParser} reads and checks it, reporting
 * every mistake with its line and column.
 */
@NullMarked
package dev.tidings.router.routes;

import org.jspecify.annotations.NullMarked;

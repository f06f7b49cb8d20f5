/**
 * The publisher API's errors as RFC 9457 problems ({@code application/problem+json}): every kind of
 * problem with its status, type and title ({@link dev.tidings.publisher.problem.ProblemType}), the
 * one builder of problems and of the headers their responses carry
 * ({@link dev.tidings.publisher.problem.Problems}), the failures shared by several endpoints, and
 * the two handlers that answer with them, before a controller and in one. Depends on nothing else
 * of the publisher; a feature's own failures extend
 * {@link dev.tidings.publisher.problem.ProblemException} and say their problem with the builder.
 */
@NullMarked
package dev.tidings.publisher.problem;

import org.jspecify.annotations.NullMarked;

/**
 * Java client of the Tidings publisher HTTP API ({@code POST /api/v1/notifications} and its
 * {@code :batch} form).
 *
 * <p>{@link dev.tidings.client.Tidings} is the entry point: {@code tidings.toGroup("Class:201901")
 * .event("grade.published").payload(grade).send()} answers {@link dev.tidings.client.Accepted} once
 * Kafka holds the notification, or throws a {@link dev.tidings.client.TidingsException}. Every
 * notification is sent with an id (the caller's, or a UUID made here), so the retries of a 429 or a
 * 503 write it once.
 */
@NullMarked
package dev.tidings.client;

import org.jspecify.annotations.NullMarked;

/** Test support for JUnit 5 tests: a real Kafka broker, a real Confluent-compatible schema registry, WebSocket clients. */
@NullMarked
package dev.tidings.testing;

import org.jspecify.annotations.NullMarked;

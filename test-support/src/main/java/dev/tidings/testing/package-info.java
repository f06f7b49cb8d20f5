/** Test support: a real Kafka broker for JUnit 5 tests. */
@NullMarked
package dev.tidings.testing;

import org.jspecify.annotations.NullMarked;

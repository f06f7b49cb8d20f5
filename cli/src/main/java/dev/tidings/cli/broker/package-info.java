/** A real single-node KRaft Kafka broker run as its own OS process from Maven Central jars. */
@NullMarked
package dev.tidings.cli.broker;

import org.jspecify.annotations.NullMarked;

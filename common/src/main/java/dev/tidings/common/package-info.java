/** Value types and codecs shared by the publisher, the gateway nodes and the CLI. */
@NullMarked
package dev.tidings.common;

import org.jspecify.annotations.NullMarked;

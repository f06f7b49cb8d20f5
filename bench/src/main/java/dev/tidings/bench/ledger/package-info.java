/** Delivery accounting: expected versus delivered, loss, duplicates, misroutes and latency. */
@NullMarked
package dev.tidings.bench.ledger;

import org.jspecify.annotations.NullMarked;

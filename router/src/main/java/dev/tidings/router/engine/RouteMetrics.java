package dev.tidings.router.engine;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A route's meters, tagged {@code route=<name>}: records in, routed, filtered and dead-lettered
 * (every record in ends as exactly one of the other three once its offset is committed),
 * notification records written, records held back while a source (the schema registry) is
 * unavailable, and the consumer lag.
 */
public final class RouteMetrics {

    final Counter in;
    final Counter routed;
    final Counter filtered;
    final Counter deadLettered;
    final Counter notifications;
    final Counter sourceUnavailable;
    final AtomicLong lag = new AtomicLong();

    public RouteMetrics(MeterRegistry meters, String route) {
        in = Counter.builder("tidings.router.records.in").tag("route", route)
                .description("Records the route read from its topics").register(meters);
        routed = Counter.builder("tidings.router.records.routed").tag("route", route)
                .description("Records the route turned into notifications").register(meters);
        filtered = Counter.builder("tidings.router.records.filtered").tag("route", route)
                .description("Records the route's filter left out").register(meters);
        deadLettered = Counter.builder("tidings.router.records.dead.lettered").tag("route", route)
                .description("Records the route wrote to its dead-letter topic").register(meters);
        notifications = Counter.builder("tidings.router.notifications").tag("route", route)
                .description("Notification records written (one per target)").register(meters);
        sourceUnavailable = Counter.builder("tidings.router.source.unavailable").tag("route", route)
                .description("Times the route paused a partition because the schema registry was unavailable")
                .register(meters);
        Gauge.builder("tidings.router.lag", lag, AtomicLong::get).tag("route", route)
                .description("Records of the route's assigned partitions not yet read").register(meters);
    }

    /** The lag last measured. */
    public long lag() {
        return lag.get();
    }
}

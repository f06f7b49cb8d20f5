package dev.tidings.common.threads;

/**
 * How many event loops a service's Reactor Netty server runs: one per available core unless the JVM option
 * {@code -Dreactor.netty.ioWorkerCount=N} says otherwise. Reactor Netty's own default is at least four, and on
 * fewer cores the extra loops only add wake-ups: every hand-off to a loop that sleeps (a Kafka acknowledgement to
 * the loop that holds its request, a poll's deliveries to each loop holding one of their connections) is a write
 * to its eventfd and a switch to its thread, and a poll's deliveries spread over four loops wake four threads where
 * two loops wake two.
 *
 * <p>Thread-safe; meant for {@code main}, before Reactor Netty reads the property.
 */
public final class EventLoops {

    /** Reactor Netty's system property for the number of event loops. */
    public static final String PROPERTY = "reactor.netty.ioWorkerCount";

    private EventLoops() {
    }

    /** Sets {@link #PROPERTY} to the available cores unless it is set; returns the number of loops it says. */
    public static int onePerCoreUnlessSet() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return Integer.parseInt(given.strip());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        System.setProperty(PROPERTY, Integer.toString(cores));
        return cores;
    }
}

package dev.tidings.publisher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the publisher API service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PublisherApplication {

    /** Reactor Netty's system property for the number of HTTP event loops. */
    static final String EVENT_LOOPS = "reactor.netty.ioWorkerCount";

    /**
     * Runs the API on one HTTP event loop per available core unless {@code -Dreactor.netty.ioWorkerCount} says
     * otherwise: Reactor Netty's own default is at least four, and on fewer cores the extra loops only add
     * wake-ups, each Kafka acknowledgement waking the loop that holds its request.
     */
    public static void main(String[] args) {
        if (System.getProperty(EVENT_LOOPS) == null) {
            System.setProperty(EVENT_LOOPS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        SpringApplication.run(PublisherApplication.class, args);
    }
}

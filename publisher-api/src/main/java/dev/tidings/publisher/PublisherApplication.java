package dev.tidings.publisher;

import dev.tidings.common.threads.EventLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the publisher API service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PublisherApplication {

    /**
     * Runs the API on one HTTP event loop per available core unless {@code -Dreactor.netty.ioWorkerCount} says
     * otherwise ({@link EventLoops}): each Kafka acknowledgement wakes the loop that holds its request.
     */
    public static void main(String[] args) {
        EventLoops.onePerCoreUnlessSet();
        SpringApplication.run(PublisherApplication.class, args);
    }
}

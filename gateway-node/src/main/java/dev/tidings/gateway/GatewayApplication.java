package dev.tidings.gateway;

import dev.tidings.common.threads.EventLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of a gateway node. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    /**
     * Runs the node's WebSocket connections on one event loop per available core unless
     * {@code -Dreactor.netty.ioWorkerCount} says otherwise ({@link EventLoops}): each poll of the Kafka consumer
     * wakes every loop that holds a connection its records are for.
     */
    public static void main(String[] args) {
        EventLoops.onePerCoreUnlessSet();
        SpringApplication application = new SpringApplication(GatewayApplication.class);
        // WebSocket sessions live on Reactor Netty's event loops, whatever else is on the class path.
        application.setWebApplicationType(WebApplicationType.REACTIVE);
        application.run(args);
    }
}

package dev.tidings.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of a gateway node. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(GatewayApplication.class);
        // WebSocket sessions live on Reactor Netty's event loops, whatever else is on the class path.
        application.setWebApplicationType(WebApplicationType.REACTIVE);
        application.run(args);
    }
}

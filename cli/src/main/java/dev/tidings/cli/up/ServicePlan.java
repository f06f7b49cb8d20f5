package dev.tidings.cli.up;

import java.net.URI;
import java.util.Map;

import dev.tidings.cli.process.Ports;

/**
 * One Spring Boot service {@code tidings up} runs: its name (also its log file's), the module whose
 * executable jar it runs, its port and the environment that configures it.
 *
 * @param name {@code publisher-api}, {@code gw-1}, {@code gw-2}, …
 * @param module the Maven module with the {@code -exec.jar}
 * @param port HTTP port on 127.0.0.1
 * @param environment variables added to the inherited environment
 */
record ServicePlan(String name, String module, int port, Map<String, String> environment) {

    ServicePlan {
        environment = Map.copyOf(environment);
    }

    String baseUrl() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    URI healthUri() {
        return URI.create(baseUrl() + "/actuator/health");
    }
}

package dev.tidings.cli.up;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

/** Asks a Spring Boot service's {@code /actuator/health} whether it reports {@code "status":"UP"}. */
final class HealthProbe {

    private static final Pattern UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    /** Whether the endpoint answered 200 with status UP; any failure to connect or read means no. */
    boolean isUp(URI health) {
        HttpRequest request = HttpRequest.newBuilder(health)
                .timeout(Duration.ofSeconds(3))
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && UP.matcher(response.body()).find();
        }
        catch (IOException notYet) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

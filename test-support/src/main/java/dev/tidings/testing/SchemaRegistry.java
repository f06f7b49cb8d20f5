package dev.tidings.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running Confluent-compatible schema registry that tests talk to.
 *
 * @param url the Confluent API's base URL, without a trailing slash (for example
 *     {@code http://127.0.0.1:40123/apis/ccompat/v7}): what a client's {@code schema.registry.url} is
 * @param origin where the registry came from ({@code SCHEMA_REGISTRY_URL} or a child process)
 */
public record SchemaRegistry(String url, String origin) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Registers the Avro schema {@code schema} (its JSON text) under {@code subject}, as Confluent's
     * serializers do ({@code POST {url}/subjects/{subject}/versions}), and answers the schema id the
     * registry gave it: the id that framed values carry. The same schema answers the same id again.
     *
     * @throws AssertionError when the registry refuses the schema (an incompatible change, say),
     *     with its answer
     */
    public int register(String subject, String schema) {
        return register(subject, "AVRO", schema);
    }

    /**
     * Registers {@code schema} of type {@code schemaType} ({@code AVRO}, {@code JSON} or
     * {@code PROTOBUF}) under {@code subject}, as {@link #register(String, String)} does an Avro one.
     */
    public int register(String subject, String schemaType, String schema) {
        String body = JSON.writeValueAsString(Map.of("schemaType", schemaType, "schema", schema));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject
                + "/versions")).header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 200) {
            throw new AssertionError("the registry at " + url + " refused a schema for " + subject + ": "
                    + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asInt();
    }

    /**
     * Sets the compatibility rule new versions of {@code subject} are checked against
     * ({@code PUT {url}/config/{subject}}): {@code BACKWARD}, {@code FULL}, {@code NONE}...
     */
    public void setCompatibility(String subject, String compatibility) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/config/" + subject))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("compatibility", compatibility)))));
        if (response.statusCode() != 200) {
            throw new AssertionError("the registry at " + url + " refused compatibility " + compatibility + " for "
                    + subject + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** The version numbers registered under {@code subject}, oldest first (none: an empty array). */
    public JsonNode versions(String subject) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject
                + "/versions")).GET());
        return response.statusCode() == 404 ? JSON.createArrayNode() : JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new AssertionError("the registry at " + url + " did not answer: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}

package dev.tidings.router.decode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tidings.router.decode.RouteFailure;
import dev.tidings.router.decode.SourceUnavailableException;
import dev.tidings.router.routes.SchemaRegistrySettings;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Avro schemas by id from a Confluent-compatible registry ({@code GET {url}/schemas/ids/{id}}),
 * as Confluent's deserializer does, and keeps every schema it read (an id's schema never changes).
 *
 * <p>Contracts: a 404 (the id is unknown) or a schema that is not Avro is a {@link RouteFailure} with
 * reason {@code unknown-schema}; anything else that goes wrong (refused connection, timeout, 5xx, 401)
 * is a {@link SourceUnavailableException}, so the route waits for the registry instead of
 * dead-lettering every record.
 *
 * <p>Thread-safe.
 */
public final class SchemaRegistryClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SchemaRegistrySettings settings;
    private final HttpClient http;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public SchemaRegistryClient(SchemaRegistrySettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    /** The schema with registry id {@code id}. */
    public Schema schema(int id) {
        Schema known = schemas.get(id);
        if (known != null) {
            return known;
        }
        Schema fetched = fetch(id);
        schemas.putIfAbsent(id, fetched);
        return fetched;
    }

    private Schema fetch(int id) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + "/schemas/ids/" + id))
                .timeout(settings.timeout())
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json")
                .GET();
        if (settings.basicAuthUserInfo() != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8)));
        }
        else if (settings.bearerToken() != null) {
            request.header("Authorization", "Bearer " + settings.bearerToken());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new SourceUnavailableException("schema registry " + settings.url() + " unreachable: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException("interrupted while reading schema " + id, ex);
        }
        if (response.statusCode() == 404) {
            throw new RouteFailure("unknown-schema", "the schema registry has no schema with id " + id);
        }
        if (response.statusCode() != 200) {
            throw new SourceUnavailableException("schema registry answered " + response.statusCode()
                    + " for schema " + id, null);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode type = body.get("schemaType");
            if (type != null && !type.isNull() && !"AVRO".equals(type.asString())) {
                throw new RouteFailure("unknown-schema", "schema " + id + " is " + type.asString() + ", not Avro");
            }
            return new Schema.Parser().parse(body.get("schema").asString());
        }
        catch (JacksonException | SchemaParseException | NullPointerException ex) {
            throw new RouteFailure("unknown-schema", "schema " + id + " is not a readable Avro schema: " + ex, ex);
        }
    }

    @Override
    public void close() {
        // HttpClient.close() exists from Java 21; its threads end with the client's last reference.
    }
}

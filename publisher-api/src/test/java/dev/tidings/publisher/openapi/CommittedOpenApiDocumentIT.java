package dev.tidings.publisher.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docs/openapi/publisher.json} is the document the publisher serves at {@code /v3/api-docs}
 * with its default settings, so that other languages can generate a client from the repository.
 *
 * <p>The served document is normalised before it is compared or written: {@code servers} (the
 * address this test happened to run on) is dropped, and {@code info.version} is the project
 * version (a service started from classes rather than its jar says {@code development}). The
 * comparison is structural: key order does not count, array order does.
 *
 * <p>Run with {@value #WRITE_PROPERTY}{@code =true} to rewrite the committed file from the code
 * ({@link #REGENERATE} is the command); the generated document is always left in
 * {@code target/openapi/publisher.json} as well.
 */
@ExtendWith(KafkaBrokerExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CommittedOpenApiDocumentIT {

    static final String WRITE_PROPERTY = "tidings.openapi.write";
    static final String REGENERATE = "./mvnw -B -ntp -pl publisher-api -am verify -Dtest=NONE"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false"
            + " -Dit.test=CommittedOpenApiDocumentIT"
            + " -D" + WRITE_PROPERTY + "=true";

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", KafkaBrokerExtension::bootstrapServers);
        registry.add("tidings.jwt.secret", () -> "committed-openapi-it-secret-0123456789abcdef");
        registry.add("tidings.publisher.topic", () -> "committed-openapi-it-" + UUID.randomUUID());
    }

    @LocalServerPort
    int port;

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theCommittedDocumentIsTheOneTheCodeServes() throws Exception {
        JsonNode served = normalised(fetch("/v3/api-docs"));
        String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n";
        Path generated = Path.of("target", "openapi", "publisher.json");
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, text, StandardCharsets.UTF_8);

        Path committed = committedFile();
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, text, StandardCharsets.UTF_8);
        }
        assertThat(committed).as("%s is missing; generate it with:%n  %s", committed, REGENERATE).exists();
        JsonNode onDisk = json.readTree(Files.readString(committed, StandardCharsets.UTF_8));
        assertThat(onDisk.get("openapi").asString()).startsWith("3.");
        assertThat(onDisk.has("servers")).as("servers depend on where the service runs").isFalse();
        List<String> paths = new ArrayList<>(onDisk.get("paths").propertyNames());
        assertThat(paths).as("paths of the committed document")
                .contains("/api/v1/notifications", "/api/v1/notifications:batch", "/api/v1/replays")
                .allMatch(path -> path.startsWith("/api/v1/"));
        List<String> differences = new ArrayList<>();
        differences(onDisk, served, "", differences);
        assertThat(differences)
                .as("""
                        %s differs from the document the publisher serves (generated: %s).
                        If the API change is intended, regenerate the committed file and commit it:
                          %s
                        Differences (JSON pointer: committed -> served)""",
                        committed, generated.toAbsolutePath(), REGENERATE)
                .isEmpty();
    }

    private static Path committedFile() {
        String file = System.getProperty("tidings.openapi.file");
        Path path = file != null ? Path.of(file) : Path.of("..", "docs", "openapi", "publisher.json");
        return path.toAbsolutePath().normalize();
    }

    private JsonNode normalised(String document) {
        ObjectNode root = (ObjectNode) json.readTree(document);
        root.remove("servers");
        String version = System.getProperty("tidings.project.version");
        assertThat(version).as("the build passes tidings.project.version to integration tests").isNotBlank();
        ((ObjectNode) root.get("info")).put("version", version);
        return root;
    }

    /** Collects up to 20 JSON pointers at which {@code committed} and {@code served} differ. */
    private static void differences(JsonNode committed, JsonNode served, String pointer, List<String> out) {
        if (out.size() >= 20 || committed.equals(served)) {
            return;
        }
        if (committed.isObject() && served.isObject()) {
            for (String name : committed.propertyNames()) {
                String at = pointer + "/" + escaped(name);
                if (!served.has(name)) {
                    out.add(at + ": only in the committed file");
                } else {
                    differences(committed.get(name), served.get(name), at, out);
                }
            }
            for (String name : served.propertyNames()) {
                if (!committed.has(name)) {
                    out.add(pointer + "/" + escaped(name) + ": only in the served document");
                }
            }
            return;
        }
        if (committed.isArray() && served.isArray() && committed.size() == served.size()) {
            Iterator<JsonNode> left = committed.iterator();
            Iterator<JsonNode> right = served.iterator();
            for (int i = 0; left.hasNext(); i++) {
                differences(left.next(), right.next(), pointer + "/" + i, out);
            }
            return;
        }
        out.add(pointer + ": " + abbreviated(committed) + " -> " + abbreviated(served));
    }

    /** A property name as a JSON pointer segment (RFC 6901). */
    private static String escaped(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    private String fetch(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }
}

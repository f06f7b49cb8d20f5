package dev.tidings.publisher.openapi;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.publish.KafkaUnavailableException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Completes the document springdoc derives from the controllers: the bearer scheme, the
 * hand-written schemas ({@link ComponentSchemas}), the shared headers, and each operation's
 * description, examples, scope and problems ({@link NotificationOperations},
 * {@link ReplayOperations}); then drops the derived schemas nothing refers to any more.
 *
 * <p>Operations are matched by path and method; an operation the controllers do not expose
 * (e.g. a build without the replay package) is left out rather than invented.
 */
final class PublisherApiCustomizer implements OpenApiCustomizer {

    private static final Pattern SCHEMA_REF = Pattern.compile("\"#/components/schemas/([^\"]+)\"");

    private final ComponentSchemas schemas;
    private final NotificationOperations notifications;
    private final ReplayOperations replays;

    PublisherApiCustomizer(PublisherProperties properties) {
        ProblemExamples problems = new ProblemExamples(properties);
        ProblemResponses responses = new ProblemResponses(properties, problems);
        this.schemas = new ComponentSchemas(properties);
        this.notifications = new NotificationOperations(problems, responses);
        this.replays = new ReplayOperations(problems, responses);
    }

    @Override
    public void customise(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        components.addSecuritySchemes(Parts.BEARER, bearerScheme());
        schemas.all().forEach(components::addSchemas);
        components.addHeaders("Retry-After", new Header()
                .description("Seconds to wait before retrying.")
                .schema(Schemas.integer("seconds", "int32").example(KafkaUnavailableException.RETRY_AFTER_SECONDS)));
        components.addHeaders("WWW-Authenticate", new Header()
                .description("Always `Bearer` on a 401.")
                .schema(Schemas.string("challenge").example("Bearer")));
        if (openApi.getPaths() == null) {
            return;
        }
        notifications.describe(openApi);
        replays.describe(openApi);
        pruneUnreferencedSchemas(openApi);
    }

    /** The operation at {@code path} and {@code method}, if the controllers expose it. */
    static Optional<Operation> operation(OpenAPI openApi, String path, PathItem.HttpMethod method) {
        PathItem item = openApi.getPaths().get(path);
        return Optional.ofNullable(item == null ? null : item.readOperationsMap().get(method));
    }

    /**
     * Drops the schemas springdoc derived from request and response classes that the hand-written
     * ones replaced (e.g. {@code TargetRequest}), so the document lists each type once.
     */
    private static void pruneUnreferencedSchemas(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        boolean removed = true;
        while (removed) {
            String text = Json.pretty(openApi);
            Set<String> referenced = new HashSet<>();
            Matcher refs = SCHEMA_REF.matcher(text);
            while (refs.find()) {
                referenced.add(refs.group(1));
            }
            removed = schemas.keySet().retainAll(referenced);
        }
    }

    private static SecurityScheme bearerScheme() {
        return new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("""
                        A JWT in `Authorization: Bearer <token>`: HS256 with the shared secret \
                        (`TIDINGS_JWT_SECRET`), or RS256 from the issuer at `tidings.jwt.jwks-uri`. \
                        Claims: `sub` (caller; recorded as the notification's `source`), `exp` (required), \
                        `scope` (space-separated). Scopes: `notifications:publish` for the publish and batch \
                        endpoints, `notifications:replay` for the replay endpoints. Locally: \
                        `./tidings token --user svc --scope notifications:publish`.""");
    }
}

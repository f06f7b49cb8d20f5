package dev.tidings.publisher.openapi;

import java.util.List;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.PublisherApplication;
import dev.tidings.publisher.config.PublisherProperties;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document of the publisher at {@code /v3/api-docs}, Swagger UI at
 * {@code /swagger-ui.html}. Both are outside {@code /api/**}, so they need no token: the
 * bearer check is a Spring MVC interceptor on {@code /api/**} only.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        SpringDocUtils.getConfig()
                // Resolved from the bearer token by an argument resolver, not a request parameter.
                .addRequestWrapperToIgnore(Principal.class)
                // Jackson 3's tree type is an opaque JSON object to clients, not a bean to introspect.
                .replaceWithSchema(JsonNode.class, Schemas.object("Any JSON object."));
    }

    @Bean
    OpenAPI publisherOpenApi() {
        String version = PublisherApplication.class.getPackage().getImplementationVersion();
        return new OpenAPI()
                .info(new Info()
                        .title("Tidings publisher API")
                        .version(version == null ? "development" : version)
                        .description("""
                                Publish notifications to web clients connected to any Tidings gateway node: \
                                to everyone (broadcast), to users, or to groups. Every request is written \
                                to the Kafka topic `tidings.notifications` and answered only after Kafka \
                                acknowledged it (acks=all); gateway nodes deliver it over WebSocket. \
                                Errors are RFC 9457 problems (`application/problem+json`). Operators \
                                replay notifications that clients missed with `/api/v1/replays`.

                                Authentication: a JWT bearer token with scope `notifications:publish` \
                                (publish, batch) or `notifications:replay` (replays). The WebSocket side \
                                is documented in `docs/protocol.md`, and for tools in `docs/asyncapi.yaml`."""))
                .tags(List.of(
                        new Tag().name("notifications").description("Publish notifications."),
                        new Tag().name("replays").description("Operator replay of published notifications.")));
    }

    @Bean
    OpenApiCustomizer publisherApiCustomizer(PublisherProperties properties) {
        return new PublisherApiCustomizer(properties);
    }
}

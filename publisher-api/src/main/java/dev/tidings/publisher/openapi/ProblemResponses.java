package dev.tidings.publisher.openapi;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tidings.publisher.config.PublisherProperties;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * The {@code application/problem+json} responses several operations share (400, 401, 403, 415,
 * 429), and the builder of every problem response, with examples from {@link ProblemExamples}.
 */
final class ProblemResponses {

    static final String PROBLEM_JSON = "application/problem+json";

    private final PublisherProperties properties;
    private final ProblemExamples problems;

    ProblemResponses(PublisherProperties properties, ProblemExamples problems) {
        this.properties = properties;
        this.problems = problems;
    }

    ApiResponse malformed(String path) {
        return problem("The body is not well-formed JSON.", Parts.ordered("malformed", problems.malformed(path)));
    }

    ApiResponse unauthorized(String path) {
        return problem("No `Authorization: Bearer` token, or one that does not verify (signature, `exp`, "
                + "issuer, audience).", Parts.ordered("no token", problems.unauthorized(path)))
                .headers(Parts.ordered("WWW-Authenticate", new Header().$ref("#/components/headers/WWW-Authenticate")));
    }

    ApiResponse forbidden(String path, String scope) {
        return problem("The token verifies but its `scope` claim lacks `" + scope + "`.",
                Parts.ordered("missing scope", problems.forbidden(path, scope)));
    }

    ApiResponse unsupportedMediaType(String path) {
        return problem("The body is not `application/json` (Spring MVC's own problem: no `type`, i.e. "
                + "`about:blank`).",
                Parts.ordered("text body", problems.unsupportedMediaType(path)));
    }

    ApiResponse tooManyRequests(String path) {
        return problem("The caller (the token's `sub`) is over its publish rate limit, counted in records "
                + "(one per user or group id, one per broadcast): a token bucket of "
                + "`tidings.publisher.rate-limit-burst` (" + properties.rateLimitBurst() + ") records refilled at "
                + "`tidings.publisher.rate-limit-per-second` (" + properties.rateLimitPerSecond() + ") per second; "
                + "the detail names both. Nothing was written. Wait `Retry-After` seconds (the caller's own wait "
                + "for its next token, also in `retryAfterSeconds`), then retry with the same `id`.",
                Parts.ordered("rate limited", problems.tooManyRequests(path))).headers(retryAfter());
    }

    /** The {@code Retry-After} header of a 429 or 503 response. */
    static Map<String, Header> retryAfter() {
        return Parts.ordered("Retry-After", new Header().$ref("#/components/headers/Retry-After"));
    }

    /** A problem response: its description and its examples, each named and summed up by status and title. */
    ApiResponse problem(String description, Map<String, Map<String, Object>> examples) {
        Map<String, Example> named = new LinkedHashMap<>();
        examples.forEach((name, body) -> named.put(name, new Example().summary(body.get("status") + " "
                + body.get("title")).value(body)));
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(Schemas.ref("Problem")).examples(named)));
    }
}

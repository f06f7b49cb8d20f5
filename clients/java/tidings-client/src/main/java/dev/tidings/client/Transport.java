package dev.tidings.client;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Posts one JSON body to the publisher with the token of the moment and returns its answer,
 * whatever its status. No answer at all is a {@link TidingsUnreachableException}.
 *
 * <p>Thread-safe: {@link RestClient} is, and the token source must be.
 */
final class Transport {

    private static final List<MediaType> ACCEPT = List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);

    private final RestClient http;
    private final TokenSource tokens;

    Transport(RestClient http, TokenSource tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    /**
     * Posts {@code body} to {@code path}.
     *
     * @param id the id of the notification it sends, when it sends one, for the failure to name
     * @throws TidingsUnreachableException when no answer came
     */
    Answer post(String path, byte[] body, @Nullable String id) {
        String token = tokens.token();
        try {
            return http.post()
                    .uri(path)
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(ACCEPT.toArray(MediaType[]::new))
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .body(body)
                    .exchange((request, response) -> new Answer(response.getStatusCode().value(),
                            RetryAfter.parse(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER), Instant.now()),
                            response.getBody().readAllBytes()));
        }
        catch (ResourceAccessException ex) {
            throw new TidingsUnreachableException("no answer from the publisher to POST " + path + ": " + ex.getMessage()
                    + (id == null ? "" : "; retry with id " + id + " so that it is written once"), id, ex);
        }
    }
}

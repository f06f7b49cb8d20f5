package dev.tidings.cli.replay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.tidings.cli.workspace.CliException;

/**
 * The publisher's replay endpoints: {@code POST /api/v1/replays}, {@code GET} and {@code DELETE
 * /api/v1/replays/{id}}. Connection failures become {@link CliException}s; HTTP answers, errors
 * included, are returned as they came.
 *
 * <p>Thread-safe: {@link HttpClient} is, and nothing else changes.
 */
final class ReplayClient {

    static final String PATH = "/api/v1/replays";
    /** The publisher holds a dry run's answer up to 30 s while it scans. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    private final URI replays;
    private final String bearer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * A client for one publisher.
     *
     * @param replays {@code <publisher>/api/v1/replays}
     * @param bearer the token, with the {@code notifications:replay} scope
     */
    ReplayClient(URI replays, String bearer) {
        this.replays = replays;
        this.bearer = bearer;
    }

    /**
     * An HTTP answer.
     *
     * @param status the HTTP status
     * @param body the body, a job or an RFC 9457 problem
     * @param uri the URI it came from
     */
    record Answer(int status, String body, URI uri) {

        boolean ok() {
            return status / 100 == 2;
        }
    }

    URI replays() {
        return replays;
    }

    URI job(String id) {
        return URI.create(replays + "/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    Answer start(String json) {
        return send(request(replays, START_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build(), "start the replay");
    }

    Answer get(String id) {
        return send(request(job(id), CALL_TIMEOUT).GET().build(), "read the replay's progress");
    }

    Answer cancel(String id) {
        return send(request(job(id), CALL_TIMEOUT).DELETE().build(), "cancel the replay");
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json, application/problem+json")
                .header("Authorization", "Bearer " + bearer);
    }

    private Answer send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(), request.uri());
        }
        catch (ConnectException ex) {
            throw new CliException("cannot " + what + ": the publisher at " + request.uri() + " refused the connection: "
                    + "is `tidings up` running, or is --url right?");
        }
        catch (HttpTimeoutException ex) {
            throw new CliException("cannot " + what + ": the publisher at " + request.uri() + " did not answer in time: "
                    + ex.getMessage());
        }
        catch (IOException ex) {
            throw new CliException("cannot " + what + " at " + request.uri() + ": " + ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while trying to " + what);
        }
    }
}

package dev.tidings.cli.replay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** An HTTP server on a free loopback port that records every request and answers as a test scripts it. */
final class FakePublisher implements AutoCloseable {

    /** A request as the server saw it. */
    record Recorded(String method, String path, String authorization, String contentType, String body) {
    }

    /** An answer to send. */
    record Reply(int status, String contentType, String body) {

        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body);
        }

        static Reply problem(int status, String body) {
            return new Reply(status, "application/problem+json", body);
        }
    }

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Recorded, Reply> answers = request -> Reply.json(500, "{}");

    private FakePublisher(HttpServer server) {
        this.server = server;
    }

    static FakePublisher start() throws IOException {
        FakePublisher publisher = new FakePublisher(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        publisher.server.createContext("/", publisher::handle);
        publisher.server.start();
        return publisher;
    }

    void answer(Function<Recorded, Reply> script) {
        this.answers = script;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Recorded> requests() {
        return requests;
    }

    List<Recorded> requests(String method) {
        return requests.stream().filter(request -> request.method().equals(method)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Recorded request = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
        Reply reply = answers.apply(request);
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A job's JSON as the publisher writes it. */
    static String job(String id, boolean dryRun, String status, long scanned, long matched, long published) {
        return "{\"id\":\"" + id + "\",\"dryRun\":" + dryRun + ",\"from\":\"2026-01-31T09:00:00Z\","
                + "\"to\":\"2026-01-31T10:00:00Z\",\"scanned\":" + scanned + ",\"matched\":" + matched
                + ",\"published\":" + published + ",\"status\":\"" + status + "\",\"truncated\":false}";
    }
}

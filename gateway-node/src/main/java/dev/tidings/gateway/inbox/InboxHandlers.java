package dev.tidings.gateway.inbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tidings.common.auth.BearerTokens;
import dev.tidings.common.auth.InvalidTokenException;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.schema.Address;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The inbox's HTTP endpoints, each with the caller's Bearer token: {@code GET /api/v1/inbox},
 * {@code POST /api/v1/inbox/read}, {@code DELETE /api/v1/inbox/{user}} (scope {@value #SCOPE_ADMIN}) and,
 * between gateways, {@code GET /internal/inbox/v1/slice}. docs/protocol.md describes them.
 *
 * <p>Thread-safe: stateless apart from its collaborators.
 */
final class InboxHandlers {

    /** Scope needed to erase a user's inbox, and to read any user's slice for it. */
    static final String SCOPE_ADMIN = Principal.SCOPE_INBOX_ADMIN;

    private final InboxQuery query;
    private final ReadMarks marks;
    private final JwtVerifier verifier;
    private final FrameEncoder frames;
    private final InboxProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();

    InboxHandlers(InboxQuery query, ReadMarks marks, JwtVerifier verifier, FrameEncoder frames,
            InboxProperties properties) {
        this.query = query;
        this.marks = marks;
        this.verifier = verifier;
        this.frames = frames;
        this.properties = properties;
    }

    /** An authenticated request: its principal and the token that proved it. */
    private record Caller(Principal principal, String token) {
    }

    Mono<ServerResponse> list(ServerRequest request) {
        int limit;
        byte[] before;
        try {
            limit = request.queryParam("limit").map(Integer::parseInt).orElse(properties.defaultLimit());
            before = InboxKeys.positionOfCursor(request.queryParam("before").orElse(null));
        }
        catch (IllegalArgumentException ex) {
            return error(HttpStatus.BAD_REQUEST, "limit must be a number and before a cursor from \"next\"");
        }
        if (limit < 1 || limit > properties.maxLimit()) {
            return error(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + properties.maxLimit());
        }
        Slice.Framed framed = new Slice.Framed(limit, before);
        return authenticate(request).flatMap(caller -> query.view(caller.principal(), caller.token(), framed))
                .flatMap(view -> json(HttpStatus.OK, listing(view, view.page(limit, before))))
                .onErrorResume(Failure.class, Failure::response)
                .onErrorResume(InboxQuery.NotReadyException.class, ex -> notReady());
    }

    Mono<ServerResponse> markRead(ServerRequest request) {
        return authenticate(request).flatMap(caller -> request.bodyToMono(String.class).defaultIfEmpty("")
                .flatMap(body -> markRead(caller, body)))
                .onErrorResume(Failure.class, Failure::response)
                .onErrorResume(InboxQuery.NotReadyException.class, ex -> notReady());
    }

    private Mono<ServerResponse> markRead(Caller caller, String body) {
        Set<String> ids = new LinkedHashSet<>();
        boolean all;
        try {
            JsonNode node = json.readTree(body);
            all = node.path("all").asBoolean(false);
            for (JsonNode id : node.path("ids")) {
                if (!id.isString() || id.asString().isEmpty() || id.asString().length() > 200) {
                    return error(HttpStatus.BAD_REQUEST, "ids must be non-empty strings of at most 200 characters");
                }
                ids.add(id.asString());
            }
        }
        catch (JacksonException ex) {
            return error(HttpStatus.BAD_REQUEST, "the body must be {\"ids\":[...]} or {\"all\":true}");
        }
        if (all == !ids.isEmpty() || ids.size() > properties.maxReadIds()) {
            return error(HttpStatus.BAD_REQUEST, "the body must be {\"ids\":[...]} (at most "
                    + properties.maxReadIds() + ") or {\"all\":true}");
        }
        String userKey = Address.user(caller.principal().userId()).routingKey();
        return query.view(caller.principal(), caller.token(), Slice.Framed.NONE).flatMap(view -> {
            long now = System.currentTimeMillis();
            List<String> marked = new ArrayList<>(ids);
            Long allUpTo = null;
            if (all) {
                long newest = view.items().isEmpty() ? now : view.items().get(0).publishedAt();
                allUpTo = Math.max(now, newest);
                marked = view.items().stream().filter(item -> !view.marks().read(item)).map(StoredItem::id).toList();
            }
            InboxQuery.View after = new InboxQuery.View(view.items(),
                    view.marks().plus(ids, allUpTo == null ? -1 : allUpTo));
            long unread = after.unread();
            String frame = frames.read(marked, unread, all);
            Long upTo = allUpTo;
            // The first send of a producer may wait for the topic's metadata: off the event loop.
            return Mono.fromCallable(() -> marks.mark(userKey, ids, upTo, now)).subscribeOn(Schedulers.boundedElastic())
                    .flatMap(Mono::fromFuture)
                    .then(Mono.defer(() -> Mono.fromFuture(marks.notice(userKey, frame))))
                    .then(json(HttpStatus.OK, ("{\"unread\":" + unread + "}").getBytes(StandardCharsets.UTF_8)));
        });
    }

    Mono<ServerResponse> erase(ServerRequest request) {
        String user = request.pathVariable("user");
        return authenticate(request).flatMap(caller -> {
            if (!caller.principal().hasScope(SCOPE_ADMIN)) {
                return error(HttpStatus.FORBIDDEN, "erasing an inbox needs the scope " + SCOPE_ADMIN);
            }
            Principal subject = new Principal(user, Set.of(), Set.of(), caller.principal().expiresAt());
            String userKey = Address.user(user).routingKey();
            return query.view(subject, caller.token(), Slice.Framed.NONE)
                    .publishOn(Schedulers.boundedElastic())
                    .flatMap(view -> Mono.fromFuture(marks.erase(userKey, view.marks().ids(), System.currentTimeMillis())))
                    .then(json(HttpStatus.ACCEPTED, json.writeValueAsBytes(Map.of("erased", user))));
        }).onErrorResume(Failure.class, Failure::response)
                .onErrorResume(InboxQuery.NotReadyException.class, ex -> notReady());
    }

    Mono<ServerResponse> slice(ServerRequest request) {
        List<String> addresses = request.queryParams().getOrDefault("address", List.of());
        String marksOf = request.queryParam("marks").orElse(null);
        Slice.Framed framed;
        try {
            // A gateway that names no limit wants every frame.
            framed = request.queryParam("limit").isEmpty() ? Slice.Framed.ALL
                    : new Slice.Framed(Math.max(0, Integer.parseInt(request.queryParam("limit").get())),
                            InboxKeys.positionOfCursor(request.queryParam("before").orElse(null)));
        }
        catch (IllegalArgumentException ex) {
            return error(HttpStatus.BAD_REQUEST, "limit must be a number and before a cursor");
        }
        return authenticate(request)
                .flatMap(caller -> query.localSlice(caller.principal(), addresses, marksOf,
                        caller.principal().hasScope(SCOPE_ADMIN), framed))
                .flatMap(slice -> ServerResponse.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .bodyValue(slice.write()))
                .onErrorResume(Failure.class, Failure::response)
                .onErrorResume(IllegalArgumentException.class, ex -> error(HttpStatus.FORBIDDEN, ex.getMessage()))
                .onErrorResume(InvalidStateStoreException.class, ex -> notReady());
    }

    private Mono<Caller> authenticate(ServerRequest request) {
        String token = BearerTokens.fromAuthorization(request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return Mono.error(new Failure(HttpStatus.UNAUTHORIZED, "missing token"));
        }
        Mono<Principal> verified = Mono.fromCallable(() -> verifier.verify(token))
                .onErrorMap(InvalidTokenException.class, ex -> new Failure(HttpStatus.UNAUTHORIZED, ex.getMessage()));
        if (verifier.fetchesKeys()) {
            verified = verified.subscribeOn(Schedulers.boundedElastic());
        }
        return verified.map(principal -> new Caller(principal, token));
    }

    private static byte[] listing(InboxQuery.View view, InboxQuery.Page page) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + page.items().size() * 256);
        out.writeBytes("{\"items\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < page.items().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            StoredItem item = page.items().get(i);
            out.writeBytes(item.json(view.marks().read(item)));
        }
        out.writeBytes(("],\"unread\":" + view.unread() + ",\"next\":"
                + (page.next() == null ? "null" : "\"" + page.next() + "\"") + "}").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Mono<ServerResponse> json(HttpStatus status, byte[] body) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private Mono<ServerResponse> error(HttpStatus status, String message) {
        return json(status, json.writeValueAsBytes(Map.of("error", message)));
    }

    private Mono<ServerResponse> notReady() {
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"error\":\"the inbox is not ready; try again\"}".getBytes(StandardCharsets.UTF_8));
    }

    /** A request refused with a status and a message for the caller. */
    private final class Failure extends RuntimeException {

        private final HttpStatus status;

        Failure(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        Mono<ServerResponse> response() {
            return error(status, getMessage());
        }
    }
}

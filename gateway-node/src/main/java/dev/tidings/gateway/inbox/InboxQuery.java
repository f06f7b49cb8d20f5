package dev.tidings.gateway.inbox;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.tidings.common.auth.Principal;
import dev.tidings.schema.Address;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Answers for one user's inbox from wherever its state is: the addresses the user listens on
 * ({@link Address#listenedBy}, as the live path delivers), each looked up where Kafka Streams has its
 * partition active — this gateway's stores, or another gateway's over {@code GET /internal/inbox/v1/slice}
 * with the user's own token — then merged newest first, one item per notification id, at most
 * {@code max-items}. While partitions move (a gateway joins, leaves or restores) it asks again until
 * {@code query-timeout}, then fails with {@link NotReadyException}.
 *
 * <p>Thread-safe: stateless apart from its clients.
 */
final class InboxQuery {

    static final String SLICE_PATH = "/internal/inbox/v1/slice";
    private static final Duration RETRY_DELAY = Duration.ofMillis(100);

    private final InboxStreams streams;
    private final InboxProperties properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    InboxQuery(InboxStreams streams, InboxProperties properties) {
        this.streams = streams;
        this.properties = properties;
    }

    /** The inbox has no usable state now (starting, rebalancing, restoring, an owner unreachable). */
    static final class NotReadyException extends RuntimeException {
        NotReadyException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A user's inbox as listed: items newest first and the user's read marks.
     */
    record View(List<StoredItem> items, Slice.Marks marks) {

        long unread() {
            return items.stream().filter(item -> !marks.read(item)).count();
        }

        /** Up to {@code limit} items older than {@code before} (all when null), and whether more follow. */
        Page page(int limit, byte @Nullable [] before) {
            List<StoredItem> page = new ArrayList<>(Math.min(limit, items.size()));
            boolean more = false;
            for (StoredItem item : items) {
                if (before != null && Arrays.compareUnsigned(item.position(), before) >= 0) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(item);
            }
            return new Page(page, more ? InboxKeys.cursor(page.get(page.size() - 1).position()) : null);
        }
    }

    record Page(List<StoredItem> items, @Nullable String next) {
    }

    /**
     * The user's inbox: every listed item and the read marks; the items a page of {@code framed} lists
     * carry their frames (see {@link Slice.Framed}).
     */
    Mono<View> view(Principal principal, String bearer, Slice.Framed framed) {
        List<String> addresses = Address.listenedBy(principal.userId(), principal.groups()).stream()
                .map(Address::routingKey).distinct().toList();
        String userKey = Address.user(principal.userId()).routingKey();
        return Mono.defer(() -> gather(addresses, userKey, bearer, framed))
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, RETRY_DELAY)
                        .filter(ex -> ex instanceof NotReadyException || ex instanceof InvalidStateStoreException))
                .timeout(properties.queryTimeout(), Mono.error(() -> new NotReadyException("the inbox is not ready")))
                .map(slice -> merge(slice));
    }

    /**
     * This gateway's part of a slice, for another gateway: only addresses the principal listens on and its
     * own marks, unless {@code admin}.
     *
     * @param marksOf the user routing key whose marks to include; {@code null}: none
     */
    Mono<Slice> localSlice(Principal principal, List<String> addresses, @Nullable String marksOf, boolean admin,
            Slice.Framed framed) {
        Set<String> allowed = Address.listenedBy(principal.userId(), principal.groups()).stream()
                .map(Address::routingKey).collect(Collectors.toSet());
        String own = Address.user(principal.userId()).routingKey();
        if (!admin && (!allowed.containsAll(addresses) || (marksOf != null && !marksOf.equals(own)))) {
            return Mono.error(new IllegalArgumentException("an address the token does not listen on"));
        }
        return Mono.fromCallable(() -> streams.local().slice(addresses, marksOf, framed))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Slice> gather(List<String> addresses, String userKey, String bearer, Slice.Framed framed) {
        if (!streams.isQueryable()) {
            return Mono.error(new NotReadyException("the inbox is " + stateName()));
        }
        LocalInbox local = streams.local();
        Map<HostInfo, List<String>> byHost = new LinkedHashMap<>();
        for (String address : addresses) {
            KeyQueryMetadata owner = local.owner(address);
            if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
                return Mono.error(new NotReadyException("no gateway has " + address + " yet"));
            }
            byHost.computeIfAbsent(owner.activeHost(), host -> new ArrayList<>()).add(address);
        }
        HostInfo self = streams.self();
        List<Mono<Slice>> parts = new ArrayList<>();
        for (Map.Entry<HostInfo, List<String>> part : byHost.entrySet()) {
            List<String> keys = part.getValue();
            boolean marks = keys.contains(userKey);
            if (part.getKey().equals(self)) {
                parts.add(Mono.fromCallable(() -> local.slice(keys, marks ? userKey : null, framed))
                        .subscribeOn(Schedulers.boundedElastic()));
            }
            else {
                parts.add(remote(part.getKey(), keys, marks ? userKey : null, bearer, framed));
            }
        }
        return Flux.merge(parts).collectList().map(InboxQuery::combine);
    }

    private String stateName() {
        var current = streams.streams();
        return current == null ? "not started" : current.state().name().toLowerCase(Locale.ROOT);
    }

    private Mono<Slice> remote(HostInfo host, List<String> addresses, @Nullable String marksOf, String bearer,
            Slice.Framed framed) {
        StringBuilder query = new StringBuilder("v=1&limit=").append(framed.limit());
        if (framed.before() != null) {
            query.append("&before=").append(InboxKeys.cursor(framed.before()));
        }
        if (marksOf != null) {
            query.append("&marks=").append(URLEncoder.encode(marksOf, StandardCharsets.UTF_8));
        }
        for (String address : addresses) {
            query.append("&address=").append(URLEncoder.encode(address, StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + host.host() + ":" + host.port() + SLICE_PATH + "?" + query))
                .header("Authorization", "Bearer " + bearer).timeout(properties.queryTimeout()).GET().build();
        return Mono.fromFuture(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                .onErrorMap(ex -> !(ex instanceof NotReadyException),
                        ex -> new NotReadyException("gateway " + host + " did not answer: " + ex))
                .map(response -> {
                    if (response.statusCode() == 200) {
                        return Slice.read(response.body());
                    }
                    throw new NotReadyException("gateway " + host + " answered " + response.statusCode());
                });
    }

    private static Slice combine(List<Slice> parts) {
        Map<String, List<StoredItem>> items = new HashMap<>();
        Slice.Marks marks = Slice.Marks.NONE;
        for (Slice part : parts) {
            items.putAll(part.items());
            if (part.marks() != null) {
                marks = part.marks();
            }
        }
        return new Slice(items, marks);
    }

    /** Every address's items, newest first, one per notification id, at most {@code max-items}. */
    private View merge(Slice slice) {
        List<StoredItem> all = new ArrayList<>();
        slice.items().values().forEach(all::addAll);
        all.sort((a, b) -> Arrays.compareUnsigned(b.position(), a.position()));
        List<StoredItem> listed = new ArrayList<>(Math.min(all.size(), properties.maxItems()));
        Map<String, Integer> indexOfId = new HashMap<>();
        for (StoredItem item : all) {
            Integer seen = indexOfId.get(item.id());
            if (seen != null) {
                if (!listed.get(seen).framed() && item.framed()) {
                    listed.set(seen, item);
                }
                continue;
            }
            if (listed.size() == properties.maxItems()) {
                break;
            }
            indexOfId.put(item.id(), listed.size());
            listed.add(item);
        }
        return new View(listed, slice.marks() == null ? Slice.Marks.NONE : slice.marks());
    }
}

package dev.tidings.publisher.warmup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.common.warmup.JitSettling;
import dev.tidings.common.warmup.WarmUpProgress;
import dev.tidings.publisher.publish.WarmUpTraffic;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;

/**
 * Serves the publisher's own requests on loopback before it reports ready, so that a fresh process (a new
 * replica, or one restarted in a rolling update) answers its first callers with code the JIT has compiled
 * instead of compiling it while they wait. It ends when the JIT has settled on that work ({@link JitSettling}),
 * or after {@code tidings.publisher.warm-up.duration}, whichever comes first.
 *
 * <p>{@code connections} threads each keep one request in flight on a connection of their own to the publisher's
 * port, with a token signed with its HS256 secret for the {@link WarmUpTraffic#subject() warm-up's caller}:
 * single publishes to users, to a group and now and then a broadcast, some with an id (the idempotency claim),
 * and every {@value #BATCH_EVERY}th a batch. Each goes through every step a caller's does (the server, the token
 * check, the JSON codecs, validation, the rate limit, the Kafka producer, the answer) and its records are
 * acknowledged by Kafka, on {@link WarmUpTraffic#topic() a topic of their own} that nothing reads: no gateway,
 * client, inbox or route sees them. The claims of its ids go to the idempotency topic under the warm-up's own
 * caller, as any caller's do. Its requests count in the publisher's request meters
 * ({@code http.server.requests}, {@code tidings.publisher.publish}) like any other.
 *
 * <p>A publisher that verifies tokens from a JWKS issuer cannot sign one and skips the warm-up, as does one that
 * serves TLS itself; one whose requests fail (its topic refused, Kafka unreachable) logs why and reports ready all
 * the same, as it would have without a warm-up. Answers of 429 (a small rate limit) are waited out.
 *
 * <p>Thread-safe: runs on threads of its own; {@link #health} may be called from any thread.
 */
public final class PublisherWarmUp {

    private static final Logger log = LoggerFactory.getLogger(PublisherWarmUp.class);

    /** Every this many requests, one is a batch. */
    static final int BATCH_EVERY = 64;
    /** Notifications in the warm-up's batches. */
    static final int BATCH_SIZE = 8;
    /** Every this many requests, one carries an id, the caller's idempotency key. */
    static final int KEYED_EVERY = 16;
    /** Every this many requests, one is to the warm-up's group. */
    static final int GROUP_EVERY = 8;
    /** Every this many requests, one is a broadcast. */
    static final int BROADCAST_EVERY = 128;
    /** Users the warm-up's notifications go to, in turn. */
    static final int USERS = 64;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(1);
    private static final String PAYLOAD = "{\"warmUp\":true,\"text\":\"" + "x".repeat(64) + "\",\"n\":";

    private final WarmUpProperties properties;
    private final @Nullable TokenIssuer issuer;
    private final WarmUpTraffic traffic;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final WarmUpProgress progress;

    /**
     * @param issuer signs the warm-up's token as the publisher's verifier accepts it; {@code null} when the
     *     publisher verifies tokens from a JWKS issuer, which skips the warm-up
     * @param traffic the warm-up's caller and topic, which the publish path writes its records to
     */
    PublisherWarmUp(WarmUpProperties properties, @Nullable TokenIssuer issuer, WarmUpTraffic traffic) {
        this.properties = properties;
        this.issuer = issuer;
        this.traffic = traffic;
        this.progress = new WarmUpProgress(properties.duration());
    }

    /**
     * Starts the warm-up on threads of its own against the publisher's API at {@code base}
     * ({@code http://host:port}); {@code null} when the publisher serves TLS itself, which the warm-up does not
     * speak, and skips.
     */
    synchronized void start(@Nullable URI base) {
        if (progress.state() != WarmUpProgress.State.WAITING) {
            return;
        }
        if (properties.duration().isZero()) {
            skip("tidings.publisher.warm-up.duration is 0");
            return;
        }
        if (base == null) {
            skip("the publisher serves TLS itself (server.ssl.enabled) and the warm-up calls it over plain http://");
            return;
        }
        if (issuer == null) {
            skip("the publisher verifies tokens from a JWKS issuer and cannot sign one for its own requests");
            return;
        }
        progress.begin();
        String token = issuer.issue(traffic.subject(), Set.of(), Set.of(Principal.SCOPE_PUBLISH),
                properties.duration().plus(REQUEST_TIMEOUT).plusMinutes(1));
        Thread thread = new Thread(() -> run(token, base), "tidings-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the warm-up is. */
    public WarmUpProgress.State state() {
        return progress.state();
    }

    /**
     * {@code warmUp} in {@code /actuator/health} and its readiness group: OUT_OF_SERVICE while it runs (the
     * publisher is not ready), then UP, with what it did.
     */
    Health health() {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("topic", traffic.topic());
        counts.put("requests", requests.get());
        counts.put("notifications", notifications.get());
        counts.put("rateLimited", rateLimited.get());
        return (progress.holdsReadiness() ? Health.outOfService() : Health.up())
                .withDetails(progress.details(counts)).build();
    }

    private void skip(String why) {
        progress.skip(why);
        log.info("Warm-up skipped: {}", why);
    }

    private void run(String token, URI base) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT).build();
        JitSettling settling = progress.watchJit();
        long deadline = progress.deadlineNanos();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<@Nullable String> failure = new AtomicReference<>();
        List<Thread> callers = new ArrayList<>(properties.connections());
        for (int i = 0; i < properties.connections(); i++) {
            Thread caller = new Thread(() -> call(http, token, base, stop, failure), "tidings-warm-up-" + i);
            caller.setDaemon(true);
            callers.add(caller);
            caller.start();
        }
        while (failure.get() == null && System.nanoTime() < deadline && !settling.settled()) {
            LockSupport.parkNanos(POLL.toNanos());
        }
        stop.set(true);
        try {
            for (Thread caller : callers) {
                caller.join(REQUEST_TIMEOUT.toMillis());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        String why = failure.get();
        progress.finish(why);
        long tookMillis = progress.tookMillis();
        if (why == null) {
            log.info("Warm-up done in {} ms: {} requests, {} notifications written to {}, JIT compile time {} ms in all",
                    tookMillis, requests.get(), notifications.get(), traffic.topic(), settling.compileMillis());
        }
        else {
            log.warn("Warm-up stopped after {} ms ({} requests): {}; it no longer holds the publisher's readiness",
                    tookMillis, requests.get(), why);
        }
    }

    /** One caller's loop: a request in flight at a time, until told to stop or one fails. */
    private void call(HttpClient http, String token, URI base, AtomicBoolean stop,
            AtomicReference<@Nullable String> failure) {
        while (!stop.get()) {
            long n = sequence.getAndIncrement();
            boolean batch = n % BATCH_EVERY == BATCH_EVERY - 1;
            HttpRequest request = HttpRequest.newBuilder(base.resolve(batch
                            ? "/api/v1/notifications:batch" : "/api/v1/notifications"))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch ? batch(n) : notification(n)))
                    .build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            catch (IOException ex) {
                failure.compareAndSet(null, "a warm-up request failed: " + ex);
                return;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            int status = response.statusCode();
            if (status == (batch ? 200 : 202)) {
                requests.incrementAndGet();
                notifications.addAndGet(batch ? BATCH_SIZE : 1);
            }
            else if (status == 429) {
                rateLimited.incrementAndGet();
                LockSupport.parkNanos(retryAfter(response).toNanos());
            }
            else {
                String body = response.body();
                failure.compareAndSet(null, "a warm-up request was answered " + status + ": "
                        + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
                return;
            }
        }
    }

    /** The {@code n}th single publish: to a user in turn, now and then to the group or everyone, some with an id. */
    String notification(long n) {
        String target;
        if (n % BROADCAST_EVERY == BROADCAST_EVERY / 2) {
            target = "{\"type\":\"broadcast\"}";
        }
        else if (n % GROUP_EVERY == GROUP_EVERY / 2) {
            target = "{\"type\":\"group\",\"ids\":[\"" + traffic.subject() + "-group\"]}";
        }
        else {
            target = "{\"type\":\"user\",\"ids\":[\"" + traffic.subject() + "-" + n % USERS + "\"]}";
        }
        String id = n % KEYED_EVERY == 1 ? "\"id\":\"" + traffic.subject() + "-" + n + "\"," : "";
        return "{" + id + "\"target\":" + target + ",\"event\":\"warm-up\",\"payload\":" + PAYLOAD + n + "}}";
    }

    /** The {@code n}th request as a batch of {@value #BATCH_SIZE} notifications, as singles are made. */
    String batch(long n) {
        StringJoiner items = new StringJoiner(",", "{\"notifications\":[", "]}");
        for (int i = 0; i < BATCH_SIZE; i++) {
            items.add(notification(n * BATCH_SIZE + i));
        }
        return items.toString();
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        try {
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
            return seconds < 1 ? POLL : MAX_RETRY_AFTER;
        }
        catch (NumberFormatException ex) {
            return MAX_RETRY_AFTER;
        }
    }
}

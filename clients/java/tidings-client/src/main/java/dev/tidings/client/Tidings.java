package dev.tidings.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client of one Tidings publisher:
 *
 * <pre>{@code
 * Tidings tidings = Tidings.builder().baseUrl("https://tidings.example.com").token(token).build();
 * Accepted accepted = tidings.toGroup("Class:201901").event("grade.published").payload(grade).send();
 * }</pre>
 *
 * <p>{@link Publication#send()} returns once Kafka acknowledged the notification. Every
 * notification carries an id (the caller's, or a UUID the client makes), and every retry of it the
 * same one, so a notification is written once however often it is retried: see
 * {@link RetryPolicy} for what is retried and how long.
 *
 * <p>Thread-safe: build one per publisher and share it; the builders it hands out
 * ({@link Publication}, {@link Batch}) are each for one thread.
 */
public final class Tidings {

    static final String PUBLISH_PATH = "/api/v1/notifications";
    static final String BATCH_PATH = "/api/v1/notifications:batch";

    private final Transport transport;
    private final Wire wire;
    private final Retrier retrier;
    private final URI baseUrl;

    private Tidings(URI baseUrl, Transport transport, Wire wire, Retrier retrier) {
        this.baseUrl = baseUrl;
        this.transport = transport;
        this.wire = wire;
        this.retrier = retrier;
    }

    /** A builder; {@link Builder#baseUrl} and a token are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A notification to one user, the token {@code sub} of the user's web clients. */
    public Publication toUser(String userId) {
        return new Publication(this, "user", List.of(userId));
    }

    /** A notification to each of these users (one Kafka record per user). */
    public Publication toUsers(String... userIds) {
        return toUsers(Arrays.asList(userIds));
    }

    /** A notification to each of these users (one Kafka record per user). */
    public Publication toUsers(Collection<String> userIds) {
        return new Publication(this, "user", nonEmpty(userIds, "user"));
    }

    /** A notification to every member of one group, e.g. {@code Class:201901}. */
    public Publication toGroup(String groupId) {
        return new Publication(this, "group", List.of(groupId));
    }

    /** A notification to every member of each of these groups (one Kafka record per group). */
    public Publication toGroups(String... groupIds) {
        return toGroups(Arrays.asList(groupIds));
    }

    /** A notification to every member of each of these groups (one Kafka record per group). */
    public Publication toGroups(Collection<String> groupIds) {
        return new Publication(this, "group", nonEmpty(groupIds, "group"));
    }

    /** A notification to every connected client. */
    public Publication broadcast() {
        return new Publication(this, "broadcast", List.of());
    }

    /** A new, empty batch, sent in one request. */
    public Batch batch() {
        return new Batch(this);
    }

    /** The publisher this client sends to. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** How this client retries. */
    public RetryPolicy retryPolicy() {
        return retrier.policy();
    }

    @Override
    public String toString() {
        return "Tidings[" + baseUrl + "]";
    }

    Wire wire() {
        return wire;
    }

    Accepted send(Publication.Frozen notification) {
        byte[] body = wire.write(notification.body());
        return retrier.run(attempt -> {
            Answer answer = transport.post(PUBLISH_PATH, body, notification.id());
            if (!answer.successful()) {
                throw new TidingsProblemException(wire.problem(answer), notification.id());
            }
            return new Retrier.Step.Done<>(wire.accepted(answer));
        });
    }

    BatchResult send(List<Publication.Frozen> notifications) {
        List<String> ids = notifications.stream().map(Publication.Frozen::id).toList();
        if (notifications.isEmpty()) {
            return new BatchResult(ids, List.of());
        }
        @Nullable ItemResult[] results = new ItemResult[notifications.size()];
        return retrier.run(attempt -> {
            // Each attempt sends what has no final result yet: everything at first, then the items refused with a 503.
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null || results[i] instanceof TidingsProblem problem && problem.kind().retried()) {
                    pending.add(i);
                }
            }
            List<ObjectNode> bodies = pending.stream().map(i -> notifications.get(i).body()).toList();
            @Nullable String onlyId = pending.size() == 1 ? ids.get(pending.get(0)) : null;
            Answer answer;
            try {
                answer = transport.post(BATCH_PATH, wire.batch(bodies), onlyId);
                if (!answer.successful()) {
                    throw new TidingsProblemException(wire.problem(answer), onlyId);
                }
            }
            catch (TidingsException ex) {
                if (Arrays.stream(results).anyMatch(Objects::isNull)) {
                    throw ex; // no answer gave the items their results yet: the batch failed as a whole
                }
                // A re-send of the items refused with a 503 failed as a whole: the others keep their results,
                // and these their 503 (with the id to retry them with) unless a later attempt does better.
                BatchResult soFar = new BatchResult(ids, Arrays.stream(results).map(Objects::requireNonNull).toList());
                return ex.retryable() ? new Retrier.Step.Again<>(soFar, ex) : new Retrier.Step.Done<>(soFar);
            }
            List<ItemResult> read = wire.batchResults(answer, pending.size());
            TidingsProblem retried = null;
            for (int k = 0; k < pending.size(); k++) {
                ItemResult result = read.get(k);
                results[pending.get(k)] = result;
                if (result instanceof TidingsProblem problem && problem.kind().retried()) {
                    retried = problem;
                }
            }
            BatchResult soFar = new BatchResult(ids, Arrays.stream(results).map(Objects::requireNonNull).toList());
            return retried == null ? new Retrier.Step.Done<>(soFar)
                    : new Retrier.Step.Again<>(soFar, new TidingsProblemException(retried, null));
        });
    }

    private static List<String> nonEmpty(Collection<String> ids, String type) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a notification to " + type + "s needs at least one " + type + " id");
        }
        return List.copyOf(ids);
    }

    /**
     * Configures a {@link Tidings}. Not thread-safe.
     */
    public static final class Builder {

        private @Nullable URI baseUrl;
        private @Nullable TokenSource tokenSource;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private RetryListener retryListener = RetryListener.logging();
        private @Nullable JsonMapper jsonMapper;
        private RestClient.@Nullable Builder restClient;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The publisher's base URL, e.g. {@code https://tidings.example.com} (the API is under {@code /api/v1}). */
        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(baseUrl));
        }

        /** The publisher's base URL, e.g. {@code https://tidings.example.com} (the API is under {@code /api/v1}). */
        public Builder baseUrl(URI baseUrl) {
            if (!baseUrl.isAbsolute() || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("the base URL must be absolute, e.g. https://tidings.example.com; got "
                        + baseUrl);
            }
            String text = baseUrl.toString();
            this.baseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            return this;
        }

        /** Where the bearer token comes from, asked before every attempt. */
        public Builder tokenSource(TokenSource tokenSource) {
            this.tokenSource = tokenSource;
            return this;
        }

        /** A fixed bearer token: {@link TokenSource#of}. */
        public Builder token(String token) {
            return tokenSource(TokenSource.of(token));
        }

        /** How to retry; {@link RetryPolicy#DEFAULT} unless set. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /** Told of every retry; {@link RetryListener#logging()} unless set. */
        public Builder retryListener(RetryListener retryListener) {
            this.retryListener = retryListener;
            return this;
        }

        /** Writes payloads given as objects; a plain {@code JsonMapper} unless set. */
        public Builder jsonMapper(JsonMapper jsonMapper) {
            this.jsonMapper = jsonMapper;
            return this;
        }

        /**
         * The HTTP client to send with, as configured (request factory, interceptors, observation);
         * the client uses a copy with its base URL set. Unless set, a JDK {@link HttpClient} with
         * {@link #connectTimeout} and {@link #requestTimeout}, which are not used when this is set.
         */
        public Builder restClient(RestClient.Builder restClient) {
            this.restClient = restClient;
            return this;
        }

        /** How long to wait for a connection to the publisher; 5 s unless set. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long one attempt waits for its answer; 30 s unless set. Keep it above the publisher's
         * {@code send-timeout} (10 s by default), after which the publisher answers 503 itself.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalStateException when the base URL or the token source is missing
         */
        public Tidings build() {
            if (baseUrl == null) {
                throw new IllegalStateException("the publisher's base URL is required: baseUrl(\"https://…\")");
            }
            if (tokenSource == null) {
                throw new IllegalStateException("a token is required: token(\"…\") or tokenSource(…)");
            }
            RestClient.Builder http = restClient != null ? restClient.clone() : RestClient.builder()
                    .requestFactory(jdkRequestFactory());
            Wire wire = new Wire(jsonMapper != null ? jsonMapper : JsonMapper.builder().build());
            return new Tidings(baseUrl, new Transport(http.baseUrl(baseUrl.toString()).build(), tokenSource), wire,
                    new Retrier(retryPolicy, retryListener));
        }

        private JdkClientHttpRequestFactory jdkRequestFactory() {
            HttpClient jdk = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
            JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(jdk);
            factory.setReadTimeout(requestTimeout);
            return factory;
        }

        private static Duration positive(Duration value, String name) {
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}

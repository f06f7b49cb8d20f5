package dev.tidings.router.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import dev.tidings.router.decode.Decoders;
import dev.tidings.router.routes.Route;
import dev.tidings.router.routes.RoutesFile;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every route of a routes file: creates the notifications topic and the routes' dead-letter
 * topics when missing, then one {@link RouteRunner} thread per route, all writing through one
 * {@code acks=all} idempotent producer.
 *
 * <p>Thread-safe: {@link #start()} once, {@link #close()} from any thread.
 */
public final class Router implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final RoutesFile routes;
    private final RouterSettings settings;
    private final MeterRegistry meters;
    private final Decoders decoders;
    private final Map<String, RouteMetrics> metrics = new LinkedHashMap<>();
    private final List<RouteRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private Producer<byte[], byte[]> producer;

    public Router(RoutesFile routes, RouterSettings settings, MeterRegistry meters) {
        this.routes = routes;
        this.settings = settings;
        this.meters = meters;
        this.decoders = new Decoders(routes.schemaRegistry());
    }

    /** Creates missing topics and starts every route. */
    public synchronized void start() {
        createTopics();
        Map<String, Object> config = new HashMap<>(settings.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tidings-router");
        producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        for (Route route : routes.routes()) {
            RouteMetrics routeMetrics = new RouteMetrics(meters, route.name());
            metrics.put(route.name(), routeMetrics);
            RecordRouter router = new RecordRouter(route, decoders.of(route.format()), settings.layout().topic(),
                    settings.maxPayloadBytes(), Clock.systemUTC());
            RouteRunner runner = new RouteRunner(route, router, settings.clientConfig(), producer, routeMetrics,
                    settings.pollTimeout(), settings.topicRefresh());
            Thread thread = new Thread(runner, "route-" + route.name());
            runners.add(runner);
            threads.add(thread);
            thread.start();
        }
        log.info("Router started {} route(s) writing to {}", runners.size(), settings.layout().topic());
    }

    /** What each route is doing now, by name, in the routes file's order. */
    public Map<String, RouteStatus> statuses() {
        Map<String, RouteStatus> statuses = new LinkedHashMap<>();
        List<RouteRunner> current;
        synchronized (this) {
            current = List.copyOf(runners);
        }
        for (RouteRunner runner : current) {
            statuses.put(runner.routeName(), runner.status());
        }
        return statuses;
    }

    /** The meters of a route, by name. */
    public RouteMetrics metrics(String route) {
        return metrics.get(route);
    }

    private void createTopics() {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(settings.layout().notifications());
        for (Route route : routes.routes()) {
            topics.add(settings.layout().newTopic(route.deadLetterTopic(), Map.of()));
        }
        try (Admin admin = Admin.create(settings.clientConfig())) {
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    created.get();
                    log.info("Created topic {}", name);
                }
                catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        log.warn("Could not create topic {}: {}", name, ex.getCause().toString());
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Stops every route (each finishes or drops its batch uncommitted) and closes the producer. */
    @Override
    public synchronized void close() {
        runners.forEach(RouteRunner::stop);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        decoders.close();
    }
}

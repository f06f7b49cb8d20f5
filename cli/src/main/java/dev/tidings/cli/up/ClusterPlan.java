package dev.tidings.cli.up;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.tidings.cli.process.Ports;
import dev.tidings.cli.workspace.CliException;

/**
 * What {@code tidings up} will run, derived from its options before anything starts: the broker
 * (unless an external one is given), the publisher and the gateways, with their ports and
 * environment.
 *
 * @param kafkaPort the local broker's port, or {@code null} when {@code KAFKA_BOOTSTRAP_SERVERS} names an external one
 * @param bootstrapServers what the services connect to
 * @param publisher the publisher API
 * @param gateways the gateway nodes, {@code gw-1} first
 * @param router the router, or {@code null} without {@code --routes}
 */
record ClusterPlan(@Nullable Integer kafkaPort, String bootstrapServers, ServicePlan publisher,
        List<ServicePlan> gateways, @Nullable ServicePlan router) {

    /** Cores a gateway's JIT warm-up keeps busy: its compiler threads and the loopback traffic it runs. */
    static final int CORES_PER_WARM_UP = 2;

    /** A zero duration in the forms Spring Boot reads one, lower-cased. */
    private static final Pattern ZERO = Pattern.compile("(pt)?0+(\\.0*)?(ns|us|ms|s|m|h|d)?");

    static final String PUBLISHER_MODULE = "publisher-api";
    static final String GATEWAY_MODULE = "gateway-node";
    static final String ROUTER_MODULE = "router";
    /** The router's environment variable naming its routes file. */
    static final String ROUTES_FILE_ENV = "TIDINGS_ROUTES_FILE";
    static final int MAX_NODES = 32;

    ClusterPlan {
        gateways = List.copyOf(gateways);
    }

    /**
     * The plan for the options; fails when a number is out of range or two services would share a port.
     *
     * @param externalBootstrap {@code KAFKA_BOOTSTRAP_SERVERS}, or {@code null} to start a local broker
     */
    static ClusterPlan of(int nodes, int kafkaPort, int publisherPort, int firstGatewayPort, String secret,
            @Nullable String externalBootstrap) {
        return of(nodes, kafkaPort, publisherPort, firstGatewayPort, secret, externalBootstrap, null, 0,
                Path.of(System.getProperty("java.io.tmpdir"), "tidings-up"));
    }

    /**
     * The plan for the options with the router too when {@code routes} is given.
     *
     * @param routes the routes file (absolute), or {@code null} for no router
     * @param routerPort the router's HTTP port (health and metrics)
     * @param inboxStateRoot where each gateway's inbox stores go ({@code inbox-<port>} below it)
     */
    static ClusterPlan of(int nodes, int kafkaPort, int publisherPort, int firstGatewayPort, String secret,
            @Nullable String externalBootstrap, java.nio.file.@Nullable Path routes, int routerPort,
            Path inboxStateRoot) {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new CliException("--nodes must be between 1 and " + MAX_NODES + ", got " + nodes, 2);
        }
        requirePort("--kafka-port", kafkaPort);
        requirePort("--publisher-port", publisherPort);
        requirePort("--first-gateway-port", firstGatewayPort);
        requirePort("--first-gateway-port + --nodes - 1", firstGatewayPort + nodes - 1);
        boolean localBroker = externalBootstrap == null;
        String bootstrap = localBroker ? Ports.LOOPBACK + ":" + kafkaPort : externalBootstrap;

        Map<String, String> common = new LinkedHashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        common.put("TIDINGS_JWT_SECRET", secret);
        // Loopback only: a dev cluster is not for the network.
        common.put("SERVER_ADDRESS", Ports.LOOPBACK);

        Map<String, String> publisherEnv = new LinkedHashMap<>(common);
        publisherEnv.put("SERVER_PORT", String.valueOf(publisherPort));
        // The demo page served by each gateway publishes from the browser: allow those origins only.
        List<String> demoOrigins = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            int port = firstGatewayPort + node - 1;
            demoOrigins.add("http://" + Ports.LOOPBACK + ":" + port);
            demoOrigins.add("http://localhost:" + port);
        }
        publisherEnv.put("TIDINGS_CORS_ALLOWED_ORIGINS", String.join(",", demoOrigins));
        ServicePlan publisher = new ServicePlan(PUBLISHER_MODULE, PUBLISHER_MODULE, publisherPort, publisherEnv);

        List<ServicePlan> gateways = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            int port = firstGatewayPort + node - 1;
            String nodeId = "gw-" + node;
            Map<String, String> env = new LinkedHashMap<>(common);
            env.put("SERVER_PORT", String.valueOf(port));
            env.put("TIDINGS_NODE_ID", nodeId);
            env.put("TIDINGS_DEV_TOKEN_ENDPOINT", "true");
            // Permissive on purpose, for a local cluster only (production defaults are stricter):
            // any page may connect, and the actuator shares the client port.
            env.put("TIDINGS_ALLOWED_ORIGINS", "*");
            env.put("MANAGEMENT_SERVER_PORT", String.valueOf(port));
            // The inbox: gateways on one machine need state directories of their own, and reach each
            // other on the loopback address they listen on. The stores live beside the broker's data, so
            // a fresh broker (another workspace, wiped data) never meets stores of another cluster.
            env.put("TIDINGS_INBOX_STATE_DIR", inboxStateRoot.resolve("inbox-" + port).toString());
            env.put("TIDINGS_INBOX_ADVERTISED_HOST", Ports.LOOPBACK);
            gateways.add(new ServicePlan(nodeId, GATEWAY_MODULE, port, env));
        }
        ServicePlan router = null;
        if (routes != null) {
            requirePort("--router-port", routerPort);
            Map<String, String> env = new LinkedHashMap<>(common);
            env.remove("TIDINGS_JWT_SECRET");
            env.put("SERVER_PORT", String.valueOf(routerPort));
            env.put(ROUTES_FILE_ENV, routes.toString());
            router = new ServicePlan(ROUTER_MODULE, ROUTER_MODULE, routerPort, env);
        }
        ClusterPlan plan = new ClusterPlan(localBroker ? kafkaPort : null, bootstrap, publisher, gateways, router);
        plan.requireDistinctPorts();
        return plan;
    }

    /** Every service in start order: publisher first, then the gateways, then the router if any. */
    List<ServicePlan> services() {
        List<ServicePlan> all = new ArrayList<>();
        all.add(publisher);
        all.addAll(gateways);
        if (router != null) {
            all.add(router);
        }
        return all;
    }

    /**
     * The services in the groups {@code up} starts them, each group once the one before is healthy: the publisher
     * (and the router, if any), then the gateways. Each service warms its JIT up before it reports healthy, and
     * warm-ups that share too few cores settle within their time in none of them: the gateways start together on
     * a machine with at least {@link #CORES_PER_WARM_UP} cores per gateway, or without warm-ups, else one at a
     * time.
     *
     * @param warmUp the services' warm-up duration ({@code TIDINGS_WARM_UP}), {@code null} for their default
     */
    List<List<ServicePlan>> startWaves(int cores, @Nullable String warmUp) {
        List<List<ServicePlan>> waves = new ArrayList<>();
        waves.add(router == null ? List.of(publisher) : List.of(publisher, router));
        if (cores >= CORES_PER_WARM_UP * gateways.size() || isZero(warmUp)) {
            waves.add(gateways);
        }
        else {
            gateways.forEach(gateway -> waves.add(List.of(gateway)));
        }
        return waves;
    }

    /** Whether a duration as the services read it ({@code 0s}, {@code 0}, {@code PT0S}, ...) is zero. */
    static boolean isZero(@Nullable String duration) {
        return duration != null && ZERO.matcher(duration.strip().toLowerCase(Locale.ROOT)).matches();
    }

    /** Every port this plan listens on, by who uses it, in start order. */
    Map<Integer, String> ports() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        if (kafkaPort != null) {
            ports.put(kafkaPort, "kafka");
        }
        services().forEach(service -> ports.put(service.port(), service.name()));
        return ports;
    }

    private void requireDistinctPorts() {
        Map<Integer, String> seen = new LinkedHashMap<>();
        if (kafkaPort != null) {
            seen.put(kafkaPort, "kafka");
        }
        for (ServicePlan service : services()) {
            String previous = seen.putIfAbsent(service.port(), service.name());
            if (previous != null) {
                throw new CliException("port " + service.port() + " would be used by both " + previous + " and "
                        + service.name() + ": choose other --kafka-port / --publisher-port / --first-gateway-port / --router-port", 2);
            }
        }
    }

    private static void requirePort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new CliException(option + " must be a TCP port (1-65535), got " + port, 2);
        }
    }
}

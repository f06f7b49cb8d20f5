package dev.tidings.gateway.session;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * A node's session parts wired by {@link SessionConfiguration}, as the application context wires them,
 * for tests without one; closing it stops the token-expiry timers.
 */
public final class NodeSessions implements AutoCloseable {

    private final SessionIndex index;
    private final DeliveryBatcher batcher;
    private final SessionRegistry registry;
    private final TokenExpiry expiry;

    private NodeSessions(SessionIndex index, DeliveryBatcher batcher, SessionRegistry registry, TokenExpiry expiry) {
        this.index = index;
        this.batcher = batcher;
        this.registry = registry;
        this.expiry = expiry;
    }

    /** The parts of a node with {@code properties}. */
    public static NodeSessions of(GatewayProperties properties, MeterRegistry meters) {
        return of(properties, meters, Duration.ofMillis(EventLoopShard.STALLED_MILLIS));
    }

    /**
     * The parts of a node with {@code properties} whose sessions' bytes count as stalled after
     * {@code stalledAfter} without progress.
     */
    public static NodeSessions of(GatewayProperties properties, MeterRegistry meters, Duration stalledAfter) {
        SessionConfiguration configuration = new SessionConfiguration();
        OutboundBudget budget = configuration.outboundBudget(properties, meters);
        EventLoopShards shards = new EventLoopShards(budget, stalledAfter);
        SessionIndex index = configuration.sessionIndex(properties, meters);
        TokenExpiry expiry = configuration.tokenExpiry(properties, meters);
        return new NodeSessions(index, configuration.deliveryBatcher(shards, budget, properties, meters),
                configuration.sessionRegistry(properties, index, shards, expiry, meters), expiry);
    }

    /**
     * A session of {@code principal} on {@code channel} that belongs to no node: indexed nowhere, on a
     * shard and with budgets of its own, closed through {@code closeHandshake}.
     */
    static ClientSession lone(EmbeddedChannel channel, Principal principal, Consumer<CloseStatus> closeHandshake) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventLoopShard shard = new EventLoopShard(channel.eventLoop(), new OutboundBudget(Long.MAX_VALUE, meters),
                Duration.ofMillis(EventLoopShard.STALLED_MILLIS).toNanos());
        return new ClientSession(channel, Framing.WEBSOCKET, shard,
                new SessionHooks(closeHandshake, () -> { }, new CatchUpBudget(1 << 20, meters)), principal,
                new SessionLimits(1000, 4 << 20, 30_000, 10_000), false);
    }

    /** Gateway properties of node {@code gw-test}: the defaults, with {@code overrides}. */
    public static GatewayProperties properties(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("tidings.gateway.node-id", "gw-test");
        return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("tidings.gateway",
                Bindable.of(GatewayProperties.class).withBindMethod(BindMethod.VALUE_OBJECT));
    }

    public SessionIndex index() {
        return index;
    }

    public DeliveryBatcher batcher() {
        return batcher;
    }

    public SessionRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        expiry.stop();
    }
}

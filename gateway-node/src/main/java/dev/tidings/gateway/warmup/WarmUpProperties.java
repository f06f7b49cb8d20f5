package dev.tidings.gateway.warmup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The node's warm-up before it reports ready, bound from {@code tidings.gateway.warm-up.*}.
 *
 * @param duration the longest the node runs its connection and delivery paths on loopback before it reports
 *     ready ({@code TIDINGS_WARM_UP}); it ends sooner once the JIT compiler has settled on them. {@code 0}
 *     reports ready at once, and a fresh node then compiles its hot paths while its first clients wait
 * @param connections loopback WebSocket sessions the warm-up delivers to; a few of them reconnect on every
 *     round, so that the handshake is compiled too
 */
@ConfigurationProperties("tidings.gateway.warm-up")
public record WarmUpProperties(@DefaultValue("30s") Duration duration, @DefaultValue("64") int connections) {

    public WarmUpProperties {
        if (duration.isNegative() || duration.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("tidings.gateway.warm-up.duration must be between 0 and 5m");
        }
        if (connections < 1 || connections > 1000) {
            throw new IllegalArgumentException("tidings.gateway.warm-up.connections must be between 1 and 1000");
        }
    }
}

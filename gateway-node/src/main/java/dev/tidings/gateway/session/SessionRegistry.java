package dev.tidings.gateway.session;

import java.time.Instant;
import java.util.function.Consumer;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.protocol.CloseReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Registers the session of each new connection, and removes it once the connection closed. A new
 * session is made on its connection's event-loop shard ({@link EventLoopShards}) with what it calls
 * outside itself ({@link SessionHooks}: its close handshake, the node's count of slow cuts and its
 * budget for replayed bytes), admitted to the {@link SessionIndex} or refused, and its token's expiry
 * armed ({@link TokenExpiry}). Publishes {@code tidings.gateway.slow.client.cuts}.
 *
 * <p>Thread-safe: called on the connections' event loops; its parts are thread-safe.
 */
public final class SessionRegistry {

    private final SessionLimits limits;
    private final SessionIndex index;
    private final EventLoopShards shards;
    private final TokenExpiry expiry;
    private final CatchUpBudget replayBudget;
    private final Counter slowCuts;

    SessionRegistry(SessionLimits limits, SessionIndex index, EventLoopShards shards, TokenExpiry expiry,
            CatchUpBudget replayBudget, MeterRegistry meters) {
        this.limits = limits;
        this.index = index;
        this.shards = shards;
        this.expiry = expiry;
        this.replayBudget = replayBudget;
        this.slowCuts = Counter.builder("tidings.gateway.slow.client.cuts")
                .description("Sessions closed with 4408 because the client could not keep up").register(meters);
    }

    /**
     * Result of {@link #register}.
     *
     * @param session the registered session, or {@code null} when refused
     * @param refusal why it is refused, or {@code null} when registered
     */
    public record Registration(@Nullable ClientSession session, @Nullable CloseReason refusal) {
    }

    /**
     * Registers the session of a new connection, or says why to refuse it when a limit is reached.
     * {@code closeHandshake} sends a close frame with the given status. With {@code holding}, the
     * session holds live frames back from the moment it is indexed, for a resume to replay what came
     * before them.
     */
    public Registration register(Channel channel, Consumer<CloseStatus> closeHandshake, Principal principal,
            boolean holding) {
        return register(channel, Framing.WEBSOCKET, closeHandshake, principal, holding);
    }

    /** {@link #register(Channel, Consumer, Principal, boolean)} for a connection framed as {@code framing}. */
    public Registration register(Channel channel, Framing framing, Consumer<CloseStatus> closeHandshake,
            Principal principal, boolean holding) {
        EventLoopShard shard = shards.of(channel.eventLoop());
        ClientSession session = new ClientSession(channel, framing, shard,
                new SessionHooks(closeHandshake, slowCuts::increment, replayBudget), principal, limits, holding);
        CloseReason refusal = index.admit(session);
        if (refusal != null) {
            return new Registration(null, refusal);
        }
        shard.add(session);
        expiry.arm(session);
        return new Registration(session, null);
    }

    /**
     * Goes on with the principal of a refreshed token: the session's groups follow the new token, and
     * its expiry is armed again for it. Answers when the session will now close (its token's end, or
     * {@code max-token-lifetime} from now); {@code null}, changing nothing, when the token names
     * another user than the session's or the session is closed.
     */
    public @Nullable Instant refresh(ClientSession session, Principal fresh) {
        if (!session.principal().userId().equals(fresh.userId()) || !index.regroup(session, fresh)) {
            return null;
        }
        return expiry.arm(session);
    }

    /** Removes a closed session from the index and its shard. */
    public void unregister(ClientSession session) {
        session.markClosed();
        if (index.remove(session)) {
            session.shard().remove(session);
        }
    }
}

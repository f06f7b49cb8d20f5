package dev.tidings.gateway.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;

/**
 * The sessions whose connections live on one Netty event loop, and that loop's flush batching.
 *
 * <p>The router hands each shard the records of a poll in one task ({@link SessionRegistry#handOff})
 * rather than one task per session and record, so fanning a poll's records out costs one
 * cross-thread hand-off per event loop, not one per session or per record. Writes on the loop are
 * not flushed one by one: the first write of a session in a turn puts it on the dirty list and, if
 * none is pending, queues one flush task behind everything already queued on the loop. A burst of
 * records written to thousands of sessions therefore ends in one flush per session.
 *
 * <p>Thread-safe: {@code sessions} is a concurrent set (registered and read from any thread); the
 * dirty list and the flag are confined to the event loop.
 */
final class EventLoopShard {

    private final EventLoop loop;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final List<ClientSession> dirty = new ArrayList<>();
    private final Runnable flushTask = this::flushDirty;
    private boolean flushQueued;

    EventLoopShard(EventLoop loop) {
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    Set<ClientSession> sessions() {
        return sessions;
    }

    /** Marks the session as having unflushed writes; must run on the loop. */
    void flushLater(ClientSession session) {
        if (session.dirty) {
            return;
        }
        session.dirty = true;
        dirty.add(session);
        if (!flushQueued) {
            flushQueued = true;
            loop.execute(flushTask);
        }
    }

    private void flushDirty() {
        flushQueued = false;
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }
}

package dev.tidings.gateway.protocol;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * How many frames of one kind one client may send in any minute: a ring of when the last of them
 * arrived. A frame past the limit is refused, and refused frames do not count.
 *
 * <p>Not thread-safe: confined to the connection's event loop, where its frames are read.
 */
public final class PerMinuteLimit {

    private long[] ring = new long[0];
    private int next;

    /** Whether one more frame is allowed now, at most {@code perMinute} in any minute; counts it if so. */
    public boolean allow(int perMinute) {
        long now = System.nanoTime();
        if (ring.length != perMinute) {
            ring = new long[perMinute];
            Arrays.fill(ring, now - TimeUnit.MINUTES.toNanos(2));
            next = 0;
        }
        if (now - ring[next] < TimeUnit.MINUTES.toNanos(1)) {
            return false;
        }
        ring[next] = now;
        next = (next + 1) % ring.length;
        return true;
    }
}

package dev.tidings.common.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for work that may wait while notifications are in flight: the copies of the topic a service reads off the
 * live path (a gateway's inbox and its dead-letter check). They run at {@link Thread#MIN_PRIORITY}, daemon, and so
 * does every thread they create: a Java thread takes its creator's priority, a native one (RocksDB's) its nice value.
 *
 * <p>The JVM hands Java priorities to Linux only under {@code -XX:ThreadPriorityPolicy=1}. With the mapping the
 * services ship with ({@code -XX:JavaPriority1_To_OSPriority=10} and every other priority mapped to nice 0, so that
 * no JVM thread other than these moves), these threads run at nice 10: when the cores are short, the scheduler runs
 * the live path's threads (Kafka consumers, event loops) first, and these take what is left, about a tenth of a core's
 * share while both compete. Raising a thread's nice needs no privilege. Without the flag they are ordinary threads.
 *
 * <p>A thread that lowered its own priority can not raise it again without privilege, and threads it creates
 * would inherit its nice value: so a task meant for the background is started on a thread of this class, never by
 * lowering the priority of the thread at hand.
 *
 * <p>Thread-safe.
 */
public final class BackgroundThreads {

    private BackgroundThreads() {
    }

    /** A factory of background threads named {@code prefix-1}, {@code prefix-2}, and so on. */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> create(prefix + "-" + count.incrementAndGet(), task);
    }

    /** Starts {@code task} on a new background thread called {@code name}. */
    public static Thread start(String name, Runnable task) {
        Thread thread = create(name, task);
        thread.start();
        return thread;
    }

    private static Thread create(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    }
}

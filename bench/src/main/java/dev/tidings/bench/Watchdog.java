package dev.tidings.bench;

import java.time.Duration;

/** Ends the process if a run overstays its bound, after printing its error line: the bench always stops by itself. */
final class Watchdog {

    private Watchdog() {
    }

    static void start(Duration limit, Runnable onExpiry) {
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            }
            catch (InterruptedException ex) {
                return;
            }
            onExpiry.run();
            Runtime.getRuntime().halt(3);
        }, "bench-watchdog");
        thread.setDaemon(true);
        thread.start();
    }
}

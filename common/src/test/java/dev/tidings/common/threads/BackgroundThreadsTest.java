package dev.tidings.common.threads;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundThreadsTest {

    @Test
    void aBackgroundThreadRunsAtTheLowestPriorityAsADaemon() throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        BackgroundThreads.start("inbox-start", () -> ran.complete(Thread.currentThread()));

        Thread thread = ran.get(10, TimeUnit.SECONDS);
        assertThat(thread.getName()).isEqualTo("inbox-start");
        assertThat(thread.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void threadsABackgroundThreadCreatesAreBackgroundThreadsToo() throws Exception {
        CompletableFuture<Integer> childPriority = new CompletableFuture<>();
        BackgroundThreads.start("creator", () -> {
            // What a library does on the thread it was started from: a thread of its own, priority unset.
            Thread child = new Thread(() -> childPriority.complete(Thread.currentThread().getPriority()), "library");
            child.start();
        });

        assertThat(childPriority.get(10, TimeUnit.SECONDS)).isEqualTo(Thread.MIN_PRIORITY);
    }

    @Test
    void aFactoryNumbersItsThreads() {
        var factory = BackgroundThreads.factory("tidings-gateway-dead-letters-C");

        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });

        assertThat(first.getName()).isEqualTo("tidings-gateway-dead-letters-C-1");
        assertThat(second.getName()).isEqualTo("tidings-gateway-dead-letters-C-2");
        assertThat(second.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
        assertThat(second.isDaemon()).isTrue();
    }
}

package dev.tidings.publisher.publish;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The share of the producer's {@code buffer.memory} that publish requests may hold at once, so
 * that {@code KafkaProducer.send} never waits for buffer space: a request reserves a conservative
 * estimate of its records' bytes before sending and returns it when Kafka settled them; a request
 * that cannot reserve is refused at once.
 *
 * <p>Thread-safe: one atomic counter; a reservation never takes the total above the capacity.
 */
final class ProducerBudget {

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    ProducerBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Bytes all requests together may hold. */
    long capacity() {
        return capacity;
    }

    /** Bytes held now. */
    long held() {
        return held.get();
    }

    /** Reserves {@code bytes} if they fit; the caller must {@link #release} them once settled. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }
}

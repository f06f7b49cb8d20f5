package dev.tidings.publisher.replay;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One replay, dry or real: its progress, readable while it runs.
 *
 * <p>Thread-safe: counters are atomic, status fields volatile; written by the replay thread,
 * read by HTTP threads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ReplayJob {

    /** Where a replay is. */
    public enum Status { RUNNING, COMPLETED, CANCELLED, FAILED }

    private final String id;
    private final boolean dryRun;
    private final Instant from;
    private final Instant to;
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    private volatile Status status = Status.RUNNING;
    private volatile @Nullable String error;
    private volatile boolean truncated;

    ReplayJob(String id, boolean dryRun, Instant from, Instant to) {
        this.id = id;
        this.dryRun = dryRun;
        this.from = from;
        this.to = to;
    }

    public String getId() {
        return id;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public Instant getFrom() {
        return from;
    }

    public Instant getTo() {
        return to;
    }

    public long getScanned() {
        return scanned.get();
    }

    public long getMatched() {
        return matched.get();
    }

    public long getPublished() {
        return published.get();
    }

    public Status getStatus() {
        return status;
    }

    public @Nullable String getError() {
        return error;
    }

    /** True when the replay stopped at {@code tidings.publisher.max-replay-records}. */
    public boolean isTruncated() {
        return truncated;
    }

    @JsonIgnore
    boolean cancelRequested() {
        return cancelRequested.get();
    }

    void requestCancel() {
        cancelRequested.set(true);
    }

    void scannedOne() {
        scanned.incrementAndGet();
    }

    void matchedOne() {
        matched.incrementAndGet();
    }

    void publishedOne() {
        published.incrementAndGet();
    }

    void truncate() {
        truncated = true;
    }

    void finish(Status status, @Nullable String error) {
        this.error = error;
        this.status = status;
    }
}

package dev.tidings.gateway.session;

/**
 * Outbound limits of one session.
 *
 * @param maxQueuedFrames most frames queued before the session is cut
 * @param maxQueuedBytes most bytes (UTF-16 characters) queued before the session is cut
 * @param sendTimeoutMillis longest one write may take before the session is cut
 * @param maxReplay most frames one resume replays, queued on top of the live limits
 */
public record SessionLimits(int maxQueuedFrames, long maxQueuedBytes, long sendTimeoutMillis, int maxReplay) {
}

package dev.tidings.gateway.session;

/**
 * Outbound limits of one session.
 *
 * @param maxQueuedFrames most frames waiting for the socket before the session is cut
 * @param maxQueuedBytes most bytes (UTF-8) waiting for the socket before the session is cut
 * @param sendTimeoutMillis longest the socket may take nothing while bytes wait before the session is cut
 * @param maxReplay most frames one resume replays, queued on top of the live limits
 */
public record SessionLimits(int maxQueuedFrames, long maxQueuedBytes, long sendTimeoutMillis, int maxReplay) {
}

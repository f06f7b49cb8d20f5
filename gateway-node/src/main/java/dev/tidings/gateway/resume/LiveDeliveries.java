package dev.tidings.gateway.resume;

/**
 * What a session got live before its current resume began: per partition, the first and the last
 * offset delivered (-1: none). Records of a partition reach a session in offset order, so everything
 * addressed to it between the two was delivered; one past the last may still be on its way and must
 * be replayed.
 */
public record LiveDeliveries(long[] first, long[] last) {

    /** Whether the record at {@code partition}/{@code offset} was delivered live: a replay must skip it. */
    public boolean covers(int partition, long offset) {
        return partition < first.length && first[partition] >= 0 && offset >= first[partition]
                && offset <= last[partition];
    }
}

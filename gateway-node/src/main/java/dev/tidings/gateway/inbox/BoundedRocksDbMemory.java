package dev.tidings.gateway.inbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every inbox store of the process by one budget,
 * {@code tidings.inbox.memory}: all stores (each partition's items, counts and marks, active and standby)
 * share one block cache of that size, and their memtables are charged to the same cache through one write
 * buffer manager (a quarter of the budget), index and filter blocks included. Without it each store
 * instance takes its own cache and memtables, so the total grows with the partitions a gateway holds.
 *
 * <p>Kafka Streams creates this class by name for every store; the shared cache lives as long as the
 * process, one per budget size, and is never closed with a store.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The Streams configuration key that carries the budget in bytes. */
    static final String MEMORY_CONFIG = "tidings.inbox.memory.bytes";

    private static final double INDEX_AND_FILTER_SHARE = 0.1;
    private static final long BLOCK_SIZE = 16 * 1024;
    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {

        static Shared of(long bytes) {
            Cache cache = new LRUCache(bytes, -1, false, INDEX_AND_FILTER_SHARE);
            return new Shared(cache, new WriteBufferManager(bytes / 4, cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long bytes = budget(configs);
        Shared shared = SHARED.computeIfAbsent(bytes, Shared::of);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setBlockSize(BLOCK_SIZE);
        options.setWriteBufferManager(shared.writeBuffers());
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(Math.min(bytes / 8, 8L * 1024 * 1024));
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store of the process.
    }

    static long budget(Map<String, Object> configs) {
        Object value = configs.get(MEMORY_CONFIG);
        if (value == null) {
            throw new IllegalStateException(MEMORY_CONFIG + " is not set");
        }
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString());
    }
}

package cn.prepaid.ledger.api.storage;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bounded LRU aggregate cache that is safe with several ledger processes on one database.
 *
 * <p>A plain aggregate cache decides with whatever this JVM last saw; another node may have
 * appended since. Before a cached aggregate is handed out, its version is compared with the highest
 * sequence number stored for it (an index-only lookup on the transaction's own connection); if they
 * differ the entry is dropped and the aggregate is loaded from snapshot and events. An append from
 * stale state would also fail on the unique sequence constraint, but this check keeps decisions that
 * append nothing (refusals thrown as exceptions) from being made on stale state too.
 */
public class VersionCheckedAggregateCache implements Cache {

    private final JdbcTemplate jdbc;
    private final String latestSequenceSql;
    private final Map<Object, Object> entries;

    public VersionCheckedAggregateCache(JdbcTemplate jdbc, String eventTable, int maxEntries) {
        this.jdbc = jdbc;
        this.latestSequenceSql = "select max(sequence_number) from " + eventTable + " where aggregate_identifier = ?";
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Object value;
        synchronized (entries) {
            value = entries.get(key);
        }
        if (value instanceof AggregateCacheEntry<?> entry && !isCurrent(key, entry)) {
            remove(key);
            return null;
        }
        return (V) value;
    }

    private boolean isCurrent(Object key, AggregateCacheEntry<?> entry) {
        Long cachedVersion;
        try {
            // An in-memory entry hands back its live aggregate without needing a model or store.
            cachedVersion = entry.recreateAggregate(null, null, null, null).version();
        } catch (RuntimeException notInMemory) {
            return false;
        }
        Long storedVersion = jdbc.queryForObject(latestSequenceSql, Long.class, key.toString());
        return Objects.equals(cachedVersion, storedVersion);
    }

    @Override
    public void put(Object key, Object value) {
        synchronized (entries) {
            entries.put(key, value);
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        synchronized (entries) {
            return entries.putIfAbsent(key, value) == null;
        }
    }

    @Override
    public boolean remove(Object key) {
        synchronized (entries) {
            return entries.remove(key) != null;
        }
    }

    @Override
    public void removeAll() {
        synchronized (entries) {
            entries.clear();
        }
    }

    @Override
    public boolean containsKey(Object key) {
        synchronized (entries) {
            return entries.containsKey(key);
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return () -> true;
    }
}

package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.store.events.StoredVersions;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.modelling.command.Aggregate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded LRU aggregate cache that is safe with several ledger processes on one database.
 *
 * <p>A plain aggregate cache decides with whatever this JVM last saw; another node may have
 * appended since. A cached aggregate's version is compared with the highest sequence number stored
 * for it (an index-only lookup on the transaction's own connection); if they differ the entry is
 * dropped and the aggregate is loaded from snapshot and events.
 *
 * <p>When is the comparison needed? A decision that appends events on stale state cannot commit: its
 * first event takes a sequence number another node already used, the unique constraint refuses it,
 * and the command is retried on fresh state. Only decisions that append nothing (refusals thrown as
 * exceptions) could stand on stale state unnoticed. So inside a command that {@link StaleDecisionGuard}
 * watches ({@link HandedOutAggregates}), an aggregate is handed out at once and the comparison is made afterwards, and only for
 * aggregates the command did not change; everywhere else it is made before handing out.
 */
public class VersionCheckedAggregateCache implements Cache {

    private final StoredVersions storedVersions;
    private final Map<Object, Object> entries;

    public VersionCheckedAggregateCache(StoredVersions storedVersions, int maxEntries) {
        this.storedVersions = storedVersions;
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
        if (value instanceof AggregateCacheEntry<?> entry) {
            Optional<Aggregate<?>> live = live(entry);
            if (live.isPresent() && HandedOutAggregates.noteIfOpen(key.toString(), live.get())) {
                return (V) value;
            }
            if (live.isEmpty() || !Objects.equals(live.get().version(), storedVersions.latest(key.toString()))) {
                remove(key);
                return null;
            }
        }
        return (V) value;
    }

    /** An in-memory entry hands back its live aggregate without needing a model or store. */
    private static Optional<Aggregate<?>> live(AggregateCacheEntry<?> entry) {
        try {
            return Optional.of(entry.recreateAggregate(null, null, null, null));
        } catch (RuntimeException notInMemory) {
            return Optional.empty();
        }
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

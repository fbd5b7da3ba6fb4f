package cn.prepaid.ledger.store.aggregates;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A bounded LRU aggregate cache that is safe with several ledger processes on one database.
 *
 * <p>A plain aggregate cache decides with whatever this JVM last saw; another node may have appended
 * since. So a command first holds the aggregate's lock across nodes ({@link AggregateLocks}, taken by
 * the repository before it asks this cache): commands for one aggregate run one after another on every
 * node. Holding it, the cached aggregate is brought up to date with whatever other nodes appended since
 * it was cached: only those events are read (on the transaction's own connection, so they include every
 * commit before the lock was granted) and applied to it; a copy the store does not bear out is dropped
 * and loaded afresh. A command therefore always decides on the stored state and its append cannot
 * collide with another node's. When the transaction already knows where the aggregate's stored events
 * end (a batch reads that for all its accounts at once), a copy at that point needs no read at all.
 *
 * <p>Without the lock, nodes posting to the same account collided: the loser's append hit the unique
 * sequence number, its transaction was rolled back, the aggregate was dropped from the cache and loaded
 * again from snapshot and up to hundreds of events, and the command ran again, often to lose again.
 * Outside a transaction (reads for an answer) nothing is locked; the aggregate is brought up to date
 * all the same.
 */
public class VersionCheckedAggregateCache implements Cache {

    private final AggregateLocks locks;
    private final Supplier<EventStore> eventStore;
    private final Map<Object, Object> entries;

    public VersionCheckedAggregateCache(AggregateLocks locks, Supplier<EventStore> eventStore, int maxEntries) {
        this.locks = locks;
        this.eventStore = eventStore;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Called by Axon's caching repository before it loads an aggregate, holding its locks (database, then JVM). */
    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        String identifier = key.toString();
        Optional<Long> stored = locks.takeStoredVersion(identifier);
        Object value;
        synchronized (entries) {
            value = entries.get(key);
        }
        if (value instanceof AggregateCacheEntry<?> entry && !caughtUp(identifier, entry, stored)) {
            remove(key);
            return null;
        }
        return (V) value;
    }

    /**
     * Applies to the cached aggregate the events stored after it; false when it cannot be (then a full
     * load from snapshot and events takes its place). The read starts at the copy's own last event, which
     * must be stored: a copy changed by a transaction that was then undone is ahead of the store. When
     * the transaction knows where the stored events end ({@code storedUpTo}), a copy there is up to date and
     * one past it is ahead of the store, without a read.
     */
    private boolean caughtUp(String identifier, AggregateCacheEntry<?> entry, Optional<Long> storedUpTo) {
        Optional<EventSourcedAggregate<?>> live = live(entry);
        Long version = live.map(EventSourcedAggregate::version).orElse(null);
        if (version == null || storedUpTo.filter(last -> last < version).isPresent()) {
            return false;
        }
        if (storedUpTo.filter(version::equals).isPresent()) {
            return true;
        }
        DomainEventStream stored = eventStore.get().readEvents(identifier, version);
        if (!stored.hasNext() || stored.next().getSequenceNumber() != version) {
            return false;
        }
        if (!stored.hasNext()) {
            return true;
        }
        try {
            live.get().initializeState(stored);
            return true;
        } catch (RuntimeException halfApplied) {
            // the copy may hold some of the events; a full load starts from the store again
            return false;
        }
    }

    /** An in-memory entry hands back its live aggregate without needing a model or store. */
    private static Optional<EventSourcedAggregate<?>> live(AggregateCacheEntry<?> entry) {
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

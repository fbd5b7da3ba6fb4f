package cn.prepaid.ledger.store.aggregates;

import org.axonframework.common.lock.Lock;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Aggregates' locks across nodes: a transaction-scoped PostgreSQL advisory lock per aggregate
 * ({@code pg_advisory_xact_lock}, released by the commit or rollback), so commands for one aggregate
 * run one after another on every node, as Axon's own lock makes them run within one node.
 *
 * <p>The database lock always comes first, then Axon's lock in this JVM ({@link #lockFactory()}): a
 * transaction waits for an aggregate's JVM lock only while it holds the aggregate's database lock, so
 * the JVM lock's holder is one that already committed or rolled back and is only releasing it, and no
 * two transactions can wait for each other through a lock PostgreSQL does not see. That order lets a
 * batch take all its accounts' database locks in one statement ({@link #lockAll}) before loading any,
 * and read where each account's stored events end in one more ({@link #readStoredVersions}), instead of
 * two round trips per account.
 *
 * <p>What the current transaction holds is remembered with it, so a lock is asked for once per
 * transaction. Outside a transaction (reads for an answer) nothing is locked.
 */
public class AggregateLocks {

    /** The seed of the 64-bit hash that turns an aggregate identifier into its advisory lock key. */
    public static final long AGGREGATE_LOCK_SEED = 0x4c4f4341L;
    /** Takes an aggregate's lock (identifier, {@link #AGGREGATE_LOCK_SEED}); public for tests acting as another node. */
    public static final String LOCK_AGGREGATE = "select pg_advisory_xact_lock(hashtextextended(?, ?))";
    private static final String LOCK_ALL = "select pg_advisory_xact_lock(hashtextextended(id, ?)) "
            + "from unnest(?::varchar[]) with ordinality as a (id, n) order by n";
    // a statement of its own, after the locks: its snapshot then holds every commit made before they were granted
    // one look at the end of each account's index entries, however many events it has (a grouped max read them all)
    private static final String STORED_VERSIONS = "select id, (select max(sequence_number) from domain_event_entry "
            + "where aggregate_identifier = id) from unnest(?::varchar[]) as id";

    private final JdbcTemplate jdbc;
    private final LockFactory inThisJvm = PessimisticLockFactory.usingDefaults();

    public AggregateLocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Axon's lock factory for the aggregates' repositories: the database lock, then the JVM's. */
    public LockFactory lockFactory() {
        return new LockFactory() {
            @Override
            public Lock obtainLock(String identifier) {
                lock(identifier);
                return inThisJvm.obtainLock(identifier);
            }
        };
    }

    /** Takes the aggregate's database lock for the current transaction, unless it holds it already. */
    public void lock(String identifier) {
        held().filter(held -> held.locked.add(identifier))
                .ifPresent(held -> jdbc.query(LOCK_AGGREGATE, row -> { }, identifier, AGGREGATE_LOCK_SEED));
    }

    /**
     * Takes the database locks of all these aggregates for the current transaction in one statement,
     * in identifier order (as every transaction takes several), and then reads where each one's stored
     * events end, which a cached copy is then checked against without a read of its own.
     */
    public void lockAll(Collection<String> identifiers) {
        Optional<Held> current = held();
        if (current.isEmpty()) {
            return;
        }
        Held held = current.get();
        List<String> missing = identifiers.stream().distinct().sorted().filter(id -> !held.locked.contains(id)).toList();
        if (missing.isEmpty()) {
            return;
        }
        jdbc.query(LOCK_ALL, row -> { }, AGGREGATE_LOCK_SEED, missing.toArray(String[]::new));
        held.locked.addAll(missing);
        readStoredVersions(held, missing);
    }

    private void readStoredVersions(Held held, List<String> identifiers) {
        jdbc.query(STORED_VERSIONS, row -> {
            long last = row.getLong(2);
            held.storedVersions.put(row.getString(1), row.wasNull() ? null : last);
        }, (Object) identifiers.toArray(String[]::new));
    }

    /**
     * The sequence number of the aggregate's last stored event when this transaction locked it with
     * {@link #lockAll}, -1 if none was stored; empty if not known (then the store is read). Handed out
     * once: after that the transaction may have appended.
     */
    public Optional<Long> takeStoredVersion(String identifier) {
        return heldAlready().filter(held -> held.storedVersions.containsKey(identifier))
                .map(held -> {
                    Long version = held.storedVersions.remove(identifier);
                    return version == null ? -1L : version;
                });
    }

    /**
     * What the current transaction holds; empty outside a transaction. Kept under the transaction's own
     * connection holder, so a transaction started inside another (requiring a new one) holds nothing of
     * the outer one's.
     */
    private Optional<Held> held() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return Optional.empty();
        }
        Optional<HeldBy> bound = heldBy();
        if (bound.isEmpty()) {
            // a transaction not bound to this data source's connections: lock every time, remember nothing
            return Optional.of(new Held());
        }
        HeldBy key = bound.get();
        Held held = (Held) TransactionSynchronizationManager.getResource(key);
        if (held == null) {
            held = new Held();
            TransactionSynchronizationManager.bindResource(key, held);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(key);
                }
            });
        }
        return Optional.of(held);
    }

    /** What the current transaction already holds, if it took any lock here: a lookup, nothing bound. */
    private Optional<Held> heldAlready() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return Optional.empty();
        }
        return heldBy().map(key -> (Held) TransactionSynchronizationManager.getResource(key));
    }

    /** The key of the current transaction's {@link Held}, when it uses this data source's connections. */
    private Optional<HeldBy> heldBy() {
        return Optional.ofNullable(TransactionSynchronizationManager.getResource(jdbc.getDataSource())).map(HeldBy::new);
    }

    /** The key of a transaction's {@link Held}: its connection holder, by identity. */
    private record HeldBy(Object connectionHolder) {
        @Override
        public boolean equals(Object other) {
            return other instanceof HeldBy that && that.connectionHolder == connectionHolder;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(connectionHolder);
        }
    }

    /** The locks a transaction holds, and the stored versions read when it took them. */
    private static final class Held {
        final Set<String> locked = new HashSet<>();
        final Map<String, Long> storedVersions = new HashMap<>();
    }
}

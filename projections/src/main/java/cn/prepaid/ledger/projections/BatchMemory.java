package cn.prepaid.ledger.projections;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a projection keeps in memory for the rest of its transaction, which is one processor batch: rows
 * it read once for the batch's events instead of once per event. It lives with the transaction (a Spring
 * transaction resource), is gone when the transaction ends, and is forgotten when an event's handling fails
 * ({@link EventAtomicity}), since it may hold half of that event. Outside a transaction nothing is kept.
 */
public final class BatchMemory {

    private BatchMemory() {
    }

    /** The current transaction's memory of {@code owner}, made by {@code fresh} the first time it is asked for. */
    @SuppressWarnings("unchecked")
    public static <T> T of(Object owner, Supplier<T> fresh) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return fresh.get();
        }
        Map<Object, Object> kept = (Map<Object, Object>) TransactionSynchronizationManager.getResource(BatchMemory.class);
        if (kept == null) {
            Map<Object, Object> opened = new IdentityHashMap<>();
            TransactionSynchronizationManager.bindResource(BatchMemory.class, opened);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(BatchMemory.class);
                }
            });
            kept = opened;
        }
        return (T) kept.computeIfAbsent(owner, key -> fresh.get());
    }

    /** Forgets everything kept for the current transaction: what comes next reads the database again. */
    public static void forget() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            Object kept = TransactionSynchronizationManager.getResource(BatchMemory.class);
            if (kept != null) {
                ((Map<?, ?>) kept).clear();
            }
        }
    }
}

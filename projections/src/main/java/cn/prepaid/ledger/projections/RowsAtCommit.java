package cn.prepaid.ledger.projections;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rows that a transaction collects while it works and writes together, in one go, just before it
 * commits (a processor's batch writes them once per batch instead of once per event). Outside a
 * transaction a row is written at once.
 *
 * <p>The rows live with the transaction (a Spring transaction resource), not with this object, so one
 * buffer serves every thread. {@link #marks()} and {@link Marks#rollBack()} drop what one event added
 * when its savepoint rolls back ({@link EventAtomicity}). A buffer can be written early: by its owner
 * before it reads the table back ({@link #flush()}), when it holds as many rows as it may, or all of
 * them before a savepoint ({@link #flushAll()}).
 */
public final class RowsAtCommit<T> {

    private final Consumer<List<T>> writer;
    private final int mostHeld;

    /** @param writer writes the rows, in the order they were added, inside the committing transaction */
    public RowsAtCommit(Consumer<List<T>> writer) {
        this(writer, Integer.MAX_VALUE);
    }

    /** @param mostHeld the rows held before they are written without waiting for the commit */
    public RowsAtCommit(Consumer<List<T>> writer, int mostHeld) {
        this.writer = writer;
        this.mostHeld = mostHeld;
    }

    /**
     * A buffer of rows that change in place (a batch's account rows): a row added again is written once,
     * as it is when written. Rows are the same only when they are the same object.
     */
    public static <T> RowsAtCommit<T> eachOnce(Consumer<List<T>> writer, int mostHeld) {
        return new RowsAtCommit<>(rows -> writer.accept(List.copyOf(new LinkedHashSet<>(rows))), mostHeld);
    }

    public void add(T row) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            writer.accept(List.of(row));
            return;
        }
        List<T> held = open().computeIfAbsent(this, buffer -> new ArrayList<>());
        held.add(row);
        if (held.size() >= mostHeld) {
            flush();
        }
    }

    /** Writes the rows held for the current transaction now, so that its next statement reads them. */
    public void flush() {
        Map<RowsAtCommit<?>, List<Object>> rows = current();
        List<Object> held = rows == null ? null : rows.get(this);
        if (held != null && !held.isEmpty()) {
            write(this, held);
        }
    }

    /** Writes the rows every buffer holds for the current transaction now. */
    public static void flushAll() {
        Map<RowsAtCommit<?>, List<Object>> rows = current();
        if (rows != null) {
            rows.forEach(RowsAtCommit::write);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void write(RowsAtCommit<?> buffer, List<?> held) {
        if (held.isEmpty()) {
            return;
        }
        List<T> rows = (List<T>) List.copyOf(held);
        held.clear();
        ((RowsAtCommit<T>) buffer).writer.accept(rows);
    }

    /** How many rows each buffer of the current transaction holds now. */
    public static Marks marks() {
        Map<RowsAtCommit<?>, List<Object>> rows = current();
        Map<RowsAtCommit<?>, Integer> sizes = new IdentityHashMap<>();
        if (rows != null) {
            rows.forEach((buffer, list) -> sizes.put(buffer, list.size()));
        }
        return new Marks(sizes);
    }

    /** The buffer sizes at one moment: rolling back drops every row added since. */
    public record Marks(Map<RowsAtCommit<?>, Integer> sizes) {
        public void rollBack() {
            Map<RowsAtCommit<?>, List<Object>> rows = current();
            if (rows == null) {
                return;
            }
            rows.forEach((buffer, list) -> {
                // rows written early since were written inside the savepoint and roll back with it; a savepoint
                // begins with every buffer written (EventAtomicity), so no row from before it was among them
                int keep = Math.min(sizes.getOrDefault(buffer, 0), list.size());
                list.subList(keep, list.size()).clear();
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<RowsAtCommit<?>, List<Object>> current() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                ? (Map<RowsAtCommit<?>, List<Object>>) TransactionSynchronizationManager.getResource(RowsAtCommit.class)
                : null;
    }

    @SuppressWarnings("unchecked")
    private Map<RowsAtCommit<?>, List<T>> open() {
        Map<RowsAtCommit<?>, List<T>> rows =
                (Map<RowsAtCommit<?>, List<T>>) TransactionSynchronizationManager.getResource(RowsAtCommit.class);
        if (rows == null) {
            Map<RowsAtCommit<?>, List<T>> fresh = new IdentityHashMap<>();
            TransactionSynchronizationManager.bindResource(RowsAtCommit.class, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    fresh.forEach(RowsAtCommit::write);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(RowsAtCommit.class);
                }
            });
            rows = fresh;
        }
        return rows;
    }
}

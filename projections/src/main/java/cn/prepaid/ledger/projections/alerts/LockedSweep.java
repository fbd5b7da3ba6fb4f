package cn.prepaid.ledger.projections.alerts;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;

/**
 * A time-driven alert sweep that one process runs at a time: with several ledger processes on one
 * database only the one that gets the sweep's transaction-level advisory lock sweeps, the others do
 * nothing, and what it raises is written in that one transaction. A sweep keeps no state of its own,
 * so it is right after a restart.
 * <p>
 * Not scheduled here: the application decides when to call {@link #sweep}.
 */
public abstract class LockedSweep {

    protected final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final long advisoryLockKey;

    protected LockedSweep(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, long advisoryLockKey) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.advisoryLockKey = advisoryLockKey;
    }

    /**
     * Judges every candidate at {@code now} and raises what holds, in one transaction.
     *
     * @return how many signals were handed to the alert book (an update of an open alert counts); 0
     *         when another process holds the sweep's lock
     */
    public int sweep(Instant now) {
        Integer raised = transactions.execute(status -> {
            Boolean locked = jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class,
                    advisoryLockKey);
            return Boolean.TRUE.equals(locked) ? sweepHoldingLock(now) : 0;
        });
        return raised == null ? 0 : raised;
    }

    /** The sweep itself, inside the transaction that holds the lock. */
    protected abstract int sweepHoldingLock(Instant now);
}

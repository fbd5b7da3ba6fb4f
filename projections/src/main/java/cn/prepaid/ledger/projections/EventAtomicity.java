package cn.prepaid.ledger.projections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;

/**
 * Makes one event's handling all-or-nothing inside the processor's batch transaction. A handler that
 * fails half-way is parked in the dead-letter queue; the statements it ran before failing must not
 * commit with the rest of the batch.
 *
 * <p>A savepoint around every event does that, at two round trips per event (most of a projection's
 * statements). So events run <em>optimistically</em> without one: when a handler fails, the whole
 * batch transaction is marked rollback-only and the failure passes on, so nothing of the batch
 * commits, the processor retries it, and for a while ({@code ledger.projections.careful-for}) every
 * event runs inside its own savepoint again, which lets the dead-letter queue park just the failing
 * event. Whether this process is careful is only a matter of speed, never of outcome, so it can live
 * in this JVM alone.
 */
@Component
public class EventAtomicity {

    private static final Logger log = LoggerFactory.getLogger(EventAtomicity.class);

    private final TransactionTemplate savepoint;
    private final TransactionTemplate joined;
    private final long carefulForNanos;
    private volatile long carefulUntil = System.nanoTime() - 1;

    /** For a one-off rebuild: careful for two minutes after a failure. */
    public EventAtomicity(PlatformTransactionManager transactionManager) {
        this(transactionManager, Duration.ofMinutes(2));
    }

    @Autowired
    public EventAtomicity(PlatformTransactionManager transactionManager,
                    @Value("${ledger.projections.careful-for:PT2M}") Duration carefulFor) {
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.joined = new TransactionTemplate(transactionManager);
        this.joined.setPropagationBehavior(TransactionDefinition.PROPAGATION_MANDATORY);
        this.carefulForNanos = carefulFor.toNanos();
    }

    public void atomically(Runnable handling) {
        if (TransactionSynchronizationManager.hasResource(this)) {
            handling.run(); // this batch already rolls back: nothing of it will commit
            return;
        }
        if (careful() || !TransactionSynchronizationManager.isActualTransactionActive()) {
            // what earlier events left to write at commit is written outside the savepoint, so that rolling it
            // back takes nothing but this event's with it
            RowsAtCommit.flushAll();
            RowsAtCommit.Marks marks = RowsAtCommit.marks();
            try {
                savepoint.executeWithoutResult(status -> handling.run());
            } catch (RuntimeException failed) {
                marks.rollBack();
                BatchMemory.forget();
                throw failed;
            }
            return;
        }
        try {
            handling.run();
        } catch (RuntimeException failed) {
            BatchMemory.forget();
            carefulUntil = System.nanoTime() + carefulForNanos;
            log.warn("an event handler failed ({}); its batch rolls back and is retried with a savepoint per event",
                    failed.toString());
            joined.executeWithoutResult(status -> status.setRollbackOnly());
            rollingBack();
            throw failed;
        }
    }

    /** Remembers, for the rest of this transaction, that it rolls back. */
    private void rollingBack() {
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(EventAtomicity.this);
            }
        });
    }

    /** Whether events currently run in savepoints of their own (after a recent failure). */
    public boolean careful() {
        return System.nanoTime() - carefulUntil < 0;
    }
}

package cn.prepaid.ledger.projections;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes one event's handling all-or-nothing inside the processor's batch transaction (a savepoint).
 * A handler that fails half-way is parked in the dead-letter queue; without this, the statements it
 * ran before failing would still commit with the rest of the batch.
 */
@Component
public class PerEvent {

    private final TransactionTemplate savepoint;

    public PerEvent(PlatformTransactionManager transactionManager) {
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    public void atomically(Runnable handling) {
        savepoint.executeWithoutResult(status -> handling.run());
    }
}

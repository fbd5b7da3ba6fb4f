package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.supervision.AtomicWork;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/**
 * Runs several commands in one database transaction: Axon's units of work join it, so the events of
 * all of them commit together or not at all. Lost races are retried as a whole.
 */
public class TransactionalAtomicWork implements AtomicWork {

    private final TransactionTemplate transactions;
    private final LostRaceRetry retry = new LostRaceRetry(LostRaceRetry.DEFAULT_BUDGET);

    public TransactionalAtomicWork(TransactionTemplate transactions) {
        this.transactions = transactions;
    }

    @Override
    public <T> T run(Supplier<T> work) {
        return retry.run(() -> transactions.execute(status -> work.get()), () -> { });
    }
}

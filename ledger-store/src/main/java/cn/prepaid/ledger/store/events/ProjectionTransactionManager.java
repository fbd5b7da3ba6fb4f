package cn.prepaid.ledger.store.events;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactions of the event processors: Spring's, committed without waiting for their WAL to reach
 * the disk ({@code synchronous_commit = off} for that transaction only). Everything a processor writes
 * is derived from the event store, which only commands write, and they always commit synchronously.
 *
 * <p>Why nothing is lost: PostgreSQL writes WAL in one sequence, and a synchronous commit flushes all WAL
 * before its own commit record. So anything that depends on a processor's commit and was acknowledged
 * (a posting, a regulator's action, a webhook delivery's claim) made that commit durable too. A crash of
 * PostgreSQL loses at most the last few hundred milliseconds of processor commits (its WAL writer flushes
 * every {@code wal_writer_delay}), each with the token position it moved in the same transaction, and the
 * recovered database is an earlier, consistent state: the events themselves are durable, so the
 * processor, claiming its segment again from the recovered token, handles them again (that it does, even
 * when it noticed nothing of the crash, is {@link PositionCheckedTokenStore}'s part).
 *
 * <p>Only a transaction this manager starts is changed. One that joins a transaction already running
 * (a handler called inside a command's transaction, say) leaves it as it was.
 */
public final class ProjectionTransactionManager implements TransactionManager {

    private static final String COMMIT_WITHOUT_WAITING_FOR_DISK = "set local synchronous_commit = off";

    private final TransactionManager transactions;
    private final JdbcTemplate jdbc;

    /**
     * @param transactions Spring's transactions, as Axon uses them
     * @param jdbc         on the data source those transactions are bound to
     */
    public ProjectionTransactionManager(TransactionManager transactions, JdbcTemplate jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    @Override
    public Transaction startTransaction() {
        boolean joining = TransactionSynchronizationManager.isActualTransactionActive();
        Transaction transaction = transactions.startTransaction();
        if (!joining) {
            try {
                jdbc.execute(COMMIT_WITHOUT_WAITING_FOR_DISK);
            } catch (RuntimeException failed) {
                transaction.rollback();
                throw failed;
            }
        }
        return transaction;
    }
}

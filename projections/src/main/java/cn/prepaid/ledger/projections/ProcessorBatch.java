package cn.prepaid.ledger.projections;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** What projections that read and write once per batch share: the batch's accounts, and rows as arrays. */
public final class ProcessorBatch {

    private ProcessorBatch() {
    }

    /**
     * The accounts the events of the processor's current batch concern, as Axon's batch unit of work names
     * them; none outside a processor.
     */
    public static Set<String> accounts() {
        Set<String> accounts = new LinkedHashSet<>();
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batch) {
            for (var message : batch.getMessages()) {
                if (message.getPayload() instanceof EscrowAccountEvent event) {
                    accounts.add(event.accountId());
                }
            }
        }
        return accounts;
    }

    /** One column of the rows, as an SQL array of {@code type} for an {@code unnest} of the statement. */
    public static <R> Array column(PreparedStatement statement, String type, List<R> rows, Function<R, Object> value)
            throws SQLException {
        return statement.getConnection().createArrayOf(type, rows.stream().map(value).toArray());
    }
}

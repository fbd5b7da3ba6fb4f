package cn.prepaid.ledger.projections;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.PreparedStatementSetter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** What projections that read and write once per batch share: the batch's accounts, and rows as arrays. */
public final class ProcessorBatch {

    private ProcessorBatch() {
    }

    /**
     * The accounts to read when the batch misses {@code needed}: it, then every other account the events of
     * the processor's current batch concern (as Axon's batch unit of work names them; none outside a
     * processor), except those the batch {@code holds} already.
     */
    public static String[] accountsToRead(String needed, Set<String> holds) {
        Set<String> accounts = new LinkedHashSet<>();
        accounts.add(needed);
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batch) {
            for (var message : batch.getMessages()) {
                if (message.getPayload() instanceof EscrowAccountEvent event && !holds.contains(event.accountId())) {
                    accounts.add(event.accountId());
                }
            }
        }
        return accounts.toArray(String[]::new);
    }

    /** The rows as one SQL array per column, bound in order to an {@code unnest(?, ?, ...)} of a statement. */
    public static <R> Columns<R> columns(List<R> rows) {
        return new Columns<>(rows);
    }

    /** Columns of rows, each an SQL array of its type. */
    public static final class Columns<R> {

        private final List<R> rows;
        private final List<String> types = new ArrayList<>();
        private final List<Function<R, Object>> values = new ArrayList<>();

        private Columns(List<R> rows) {
            this.rows = rows;
        }

        /** The next column: its SQL element type and each row's value. */
        public Columns<R> of(String type, Function<R, Object> value) {
            types.add(type);
            values.add(value);
            return this;
        }

        /** Binds the columns to the statement's parameters, the first column to the first. */
        public PreparedStatementSetter setter() {
            return statement -> {
                for (int i = 0; i < types.size(); i++) {
                    statement.setArray(i + 1, statement.getConnection().createArrayOf(types.get(i),
                            rows.stream().map(values.get(i)).toArray()));
                }
            };
        }
    }
}

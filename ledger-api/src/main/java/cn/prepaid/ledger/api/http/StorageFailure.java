package cn.prepaid.ledger.api.http;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Set;

/**
 * 503 for a request the database failed, saying exactly what the ledger knows about it. A write whose
 * transaction never began stored nothing ({@code STORAGE_UNAVAILABLE}). A write that failed later may
 * have committed: PostgreSQL can commit and then lose the connection before saying so, and the rollback
 * that follows fails ({@code TransactionSystemException: JDBC rollback failed}). Its outcome is unknown
 * ({@code OUTCOME_UNKNOWN}); every write carries a client id, so sending it again with the same id is
 * safe: it is applied at most once and answered as the first time if it was. A read stores nothing.
 */
public final class StorageFailure extends ApiProblem {

    /** SQLState classes of a lost or refused connection: 08 connection exception, 57P operator intervention
     *  (shutdown, terminated backend), 53 insufficient resources. */
    private static final Set<String> CONNECTION_STATES = Set.of("08", "57", "53");
    private static final Set<String> READS = Set.of(HttpMethod.GET.name(), HttpMethod.HEAD.name(),
            HttpMethod.OPTIONS.name());
    private static final String RETRY_AFTER_SECONDS = "5";

    private StorageFailure(String code, String detail, String reference) {
        super(HttpStatus.SERVICE_UNAVAILABLE, code, detail, Map.of("reference", reference));
    }

    public static StorageFailure problem(Throwable failure, String method, String reference) {
        if (READS.contains(method)) {
            return new StorageFailure("STORAGE_UNAVAILABLE", "storage is unavailable; retry later", reference);
        }
        if (failure instanceof CannotCreateTransactionException) {
            return new StorageFailure("STORAGE_UNAVAILABLE", "storage is unavailable; nothing was stored, retry later",
                    reference);
        }
        return new StorageFailure("OUTCOME_UNKNOWN", "storage failed while this request was being stored: it may "
                + "or may not have been stored. Sending it again with the same id is safe: it is applied at most "
                + "once, and answered as the first time if it was", reference);
    }

    /** Whether a failure Spring did not translate comes from a connection to the database that was lost. */
    public static boolean lostConnection(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLRecoverableException || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && CONNECTION_STATES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    public String retryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }
}

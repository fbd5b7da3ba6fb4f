package cn.prepaid.ledger.projections.alerts;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A regulator's handling of an alert: OPEN → ACKNOWLEDGED → RESOLVED or DISMISSED (an open alert may
 * also be resolved or dismissed at once). Each step is kept in {@code alert_action} with who, when and
 * a note, and announced on the live stream.
 */
@Component
public class AlertLifecycle {

    public enum Action {
        ACKNOWLEDGE("ACKNOWLEDGED", Set.of("OPEN")),
        RESOLVE("RESOLVED", Set.of("OPEN", "ACKNOWLEDGED")),
        DISMISS("DISMISSED", Set.of("OPEN", "ACKNOWLEDGED"));

        private final String statusAfter;
        private final Set<String> from;

        Action(String statusAfter, Set<String> from) {
            this.statusAfter = statusAfter;
            this.from = from;
        }

        public String statusAfter() {
            return statusAfter;
        }
    }

    /** Why an action was refused. */
    public static class Refused extends RuntimeException {
        private final boolean notFound;

        Refused(boolean notFound, String message) {
            super(message, null, false, false);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AlertBook book;

    public AlertLifecycle(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AlertBook book) {
        this.jdbc = jdbc;
        this.book = book;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public void act(String alertId, Action action, String by, String note, Instant at) {
        transactions.executeWithoutResult(status -> {
            List<String[]> rows = jdbc.query("select status, region_code, occurrences from alert where alert_id = ? "
                            + "for update", (rs, n) -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)},
                    alertId);
            if (rows.isEmpty()) {
                throw new Refused(true, "no alert " + alertId);
            }
            String current = rows.get(0)[0];
            if (!action.from.contains(current)) {
                throw new Refused(false, "an alert that is " + current + " cannot be "
                        + action.statusAfter.toLowerCase());
            }
            jdbc.update("update alert set status = ?, updated_at = ? where alert_id = ?", action.statusAfter,
                    Timestamp.from(at), alertId);
            jdbc.update("insert into alert_action (alert_id, action, status_after, acted_by, acted_at, note, "
                    + "occurrences_at) values (?, ?, ?, ?, ?, ?, ?)", alertId, action.name(), action.statusAfter, by,
                    Timestamp.from(at), note, Integer.parseInt(rows.get(0)[2]));
            book.announce(alertId, rows.get(0)[1]);
        });
    }
}

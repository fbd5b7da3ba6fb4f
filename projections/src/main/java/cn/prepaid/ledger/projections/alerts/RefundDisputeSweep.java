package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.projections.alerts.rules.RefundDisputeOverdueRule;
import cn.prepaid.ledger.projections.alerts.rules.RefundDisputeOverdueRule.OpenDispute;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The time-driven REFUND_DISPUTE_OVERDUE: raises an alert for each refund dispute open for more than
 * 14 days that has none open yet. Like the consumption-stall sweep it keeps no state of its own (open
 * disputes come from {@code dispute_view}) and only the process holding its advisory lock sweeps.
 */
@Component
public class RefundDisputeSweep {

    /** The advisory lock key of this sweep ("DISPUTE1" in ASCII), the same in every process. */
    public static final long ADVISORY_LOCK_KEY = 0x4449535055544531L;

    private static final String OVERDUE_WITHOUT_OPEN_ALERT = "select d.account_id, d.dispute_id, d.order_id, "
            + "d.opened_at, a.last_sequence from dispute_view d join alert_account a on a.account_id = d.account_id "
            + "where d.status = 'OPEN' and d.opened_at < ? and not exists (select 1 from alert x "
            + "where x.account_id = d.account_id and x.code = 'REFUND_DISPUTE_OVERDUE' "
            + "and x.condition_key = d.dispute_id and x.status in ('OPEN', 'ACKNOWLEDGED')) "
            + "order by d.account_id, d.dispute_id";

    private final JdbcTemplate jdbc;
    private final AlertBook book;
    private final RefundDisputeOverdueRule rule;
    private final TransactionTemplate transactions;

    public RefundDisputeSweep(JdbcTemplate jdbc, AlertBook book, RefundDisputeOverdueRule rule,
                              PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.book = book;
        this.rule = rule;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    private record Candidate(OpenDispute dispute, long lastSequence) {
    }

    /** @return how many alerts were raised; 0 when another process holds the sweep's lock */
    public int sweep(Instant now) {
        Integer raised = transactions.execute(status -> sweepLocked(now));
        return raised == null ? 0 : raised;
    }

    private int sweepLocked(Instant now) {
        Boolean locked = jdbc.queryForObject("select pg_try_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")",
                Boolean.class);
        if (!Boolean.TRUE.equals(locked)) {
            return 0;
        }
        List<Candidate> candidates = jdbc.query(OVERDUE_WITHOUT_OPEN_ALERT,
                (rs, n) -> new Candidate(new OpenDispute(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()), rs.getLong(5)),
                Timestamp.from(now.minus(RefundDisputeOverdueRule.OVERDUE)));
        int raised = 0;
        for (Candidate candidate : candidates) {
            Optional<AlertSignal> signal = rule.judgeAt(candidate.dispute(), now);
            if (signal.isPresent()) {
                book.raise(AlertProjection.situation(jdbc, candidate.dispute().accountId()), signal.get(),
                        candidate.lastSequence(), now);
                raised++;
            }
        }
        return raised;
    }
}

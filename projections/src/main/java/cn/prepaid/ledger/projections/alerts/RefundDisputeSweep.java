package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.projections.alerts.rules.RefundDisputeOverdueRule;
import cn.prepaid.ledger.projections.alerts.rules.RefundDisputeOverdueRule.OpenDispute;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The time-driven REFUND_DISPUTE_OVERDUE: raises an alert for each refund dispute open for longer than its
 * institution's {@code refundDisputeOverdueDays} that has none open yet. Open disputes come from
 * {@code alert_dispute}, the deadline from {@code alert_account}; what it raised is logged in
 * {@code alert_dispute_sweep}, so a rebuild of the alert tables raises it again.
 */
@Component
public class RefundDisputeSweep extends LockedSweep {

    /** The advisory lock key of this sweep ("DISPUTE1" in ASCII), the same in every process. */
    public static final long ADVISORY_LOCK_KEY = 0x4449535055544531L;

    private static final String OVERDUE_WITHOUT_OPEN_ALERT = "select d.account_id, d.dispute_id, d.order_id, "
            + "d.opened_at, a.last_sequence from alert_dispute d join alert_account a on a.account_id = d.account_id "
            + "where d.closed_at is null and d.opened_at < ?::timestamptz - make_interval(days => coalesce("
            + "(" + AlertProjection.THRESHOLDS_OF.formatted("a") + "::jsonb ->> 'refundDisputeOverdueDays')::int, ?)) "
            + "and not exists (select 1 from alert x where x.account_id = d.account_id "
            + "and x.code = 'REFUND_DISPUTE_OVERDUE' and x.condition_key = d.dispute_id "
            + "and x.status in ('OPEN', 'ACKNOWLEDGED')) "
            + "order by d.account_id, d.dispute_id";

    /** So that a rebuild of the alert tables raises the alert again ({@link AlertProjection}). */
    private static final String RECORD_SWEEP = "insert into alert_dispute_sweep (account_id, dispute_id, "
            + "after_sequence, swept_at) values (?, ?, ?, ?) on conflict do nothing";

    private final AlertBook book;
    private final RefundDisputeOverdueRule rule;

    public RefundDisputeSweep(JdbcTemplate jdbc, AlertBook book, RefundDisputeOverdueRule rule,
                              PlatformTransactionManager transactionManager) {
        super(jdbc, transactionManager, ADVISORY_LOCK_KEY);
        this.book = book;
        this.rule = rule;
    }

    private record Candidate(OpenDispute dispute, long lastSequence) {
    }

    @Override
    protected int sweepHoldingLock(Instant now) {
        List<Candidate> candidates = jdbc.query(OVERDUE_WITHOUT_OPEN_ALERT,
                (rs, n) -> new Candidate(new OpenDispute(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()), rs.getLong(5)),
                Timestamp.from(now), AlertThresholds.DEFAULTS.refundDisputeOverdueDays());
        int raised = 0;
        for (Candidate candidate : candidates) {
            AccountSituation account = AlertProjection.situation(jdbc, candidate.dispute().accountId());
            Optional<AlertSignal> signal = rule.judgeAt(candidate.dispute(), account, now);
            if (signal.isPresent()) {
                book.raise(account, signal.get(), candidate.lastSequence(), now);
                jdbc.update(RECORD_SWEEP, candidate.dispute().accountId(), candidate.dispute().disputeId(),
                        candidate.lastSequence(), Timestamp.from(now));
                raised++;
            }
        }
        return raised;
    }
}

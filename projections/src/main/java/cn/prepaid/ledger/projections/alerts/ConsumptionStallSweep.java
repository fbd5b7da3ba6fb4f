package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.projections.alerts.rules.ConsumptionStallRule;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The time-driven half of CONSUMPTION_STALL: an account that stalls gets no event to be judged on, so
 * a sweep judges every candidate account at an instant {@code now} with
 * {@link ConsumptionStallRule#judgeAt}. Everything comes from {@code alert_account} and
 * {@code alert_activity}. A stall that already has an open alert only updates it ({@link AlertBook}).
 */
@Component
public class ConsumptionStallSweep extends LockedSweep {

    /** The advisory lock key of this sweep ("CSTALL01" in ASCII), the same in every process. */
    public static final long ADVISORY_LOCK_KEY = 0x435354414C4C3031L;

    private final JdbcActivityHistory history;
    private final AlertBook book;
    private final ConsumptionStallRule rule;

    public ConsumptionStallSweep(JdbcTemplate jdbc, JdbcActivityHistory history, AlertBook book,
                                 ConsumptionStallRule rule, PlatformTransactionManager transactionManager) {
        super(jdbc, transactionManager, ADVISORY_LOCK_KEY);
        this.history = history;
        this.book = book;
        this.rule = rule;
    }

    @Override
    protected int sweepHoldingLock(Instant now) {
        Timestamp windowEnd = Timestamp.from(now);
        String deposit = Activity.Kind.DEPOSIT.name();
        String consumption = Activity.Kind.CONSUMPTION.name();
        // Window (w.start, windowEnd], its length the account's stall days: a deposit in it, a deposit at
        // or before its start (the account has taken deposits that long), and no consumption in it.
        // judgeAt checks again.
        List<Candidate> candidates = jdbc.query("select a.account_id, a.last_sequence from alert_account a "
                        + "cross join lateral (select ?::timestamptz - make_interval(days => coalesce("
                        + "(" + AlertProjection.THRESHOLDS_OF.formatted("a") + "::jsonb ->> 'consumptionStallDays')::int, ?)) "
                        + "as start) w "
                        + "where exists (select 1 from alert_activity d where d.account_id = a.account_id "
                        + "and d.kind = ? and d.occurred_at > w.start and d.occurred_at <= ?) "
                        + "and exists (select 1 from alert_activity f where f.account_id = a.account_id "
                        + "and f.kind = ? and f.occurred_at <= w.start) "
                        + "and not exists (select 1 from alert_activity c where c.account_id = a.account_id "
                        + "and c.kind = ? and c.occurred_at > w.start and c.occurred_at <= ?) "
                        // an open stall alert needs no refresh from the clock alone: events update it
                        + "and not exists (select 1 from alert s where s.account_id = a.account_id "
                        + "and s.code = 'CONSUMPTION_STALL' and s.status in ('OPEN', 'ACKNOWLEDGED')) "
                        + "order by a.account_id",
                (rs, n) -> new Candidate(rs.getString(1), rs.getLong(2)),
                windowEnd, AlertThresholds.DEFAULTS.consumptionStallDays(),
                deposit, windowEnd,
                deposit,
                consumption, windowEnd);
        int raised = 0;
        for (Candidate candidate : candidates) {
            AccountSituation account = AlertProjection.situation(jdbc, candidate.accountId());
            Optional<AlertSignal> signal = rule.judgeAt(account, history, now);
            if (signal.isPresent()) {
                book.raise(account, signal.get(), candidate.lastSequence(), now);
                jdbc.update(RECORD_SWEEP, candidate.accountId(), candidate.lastSequence(), Timestamp.from(now));
                raised++;
            }
        }
        return raised;
    }

    /** So that a rebuild of the alert tables raises the alert again ({@link AlertProjection}). */
    private static final String RECORD_SWEEP = "insert into alert_sweep (account_id, after_sequence, swept_at) "
            + "values (?, ?, ?) on conflict do nothing";

    private record Candidate(String accountId, long lastSequence) {
    }
}

package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.projections.PerEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Feeds every account event to the alert rules: first the account's situation and history take the
 * event in, then each rule judges, then the alert book keeps what they found. An event is taken in
 * once: the situation row's {@code last_sequence} guards the whole step.
 */
@Component
@ProcessingGroup(AlertProjection.PROCESSING_GROUP)
public class AlertProjection {

    public static final String PROCESSING_GROUP = "alerts";

    private final JdbcTemplate jdbc;
    private final JdbcActivityHistory history;
    private final AlertBook book;
    private final List<AlertRule> rules;
    private final PerEvent perEvent;

    public AlertProjection(JdbcTemplate jdbc, JdbcActivityHistory history, AlertBook book, List<AlertRule> rules,
                           PerEvent perEvent) {
        this.perEvent = perEvent;
        this.jdbc = jdbc;
        this.history = history;
        this.book = book;
        this.rules = List.copyOf(rules);
    }

    @EventHandler
    void on(EscrowAccountEvent event, @SequenceNumber long seq, @Timestamp Instant recordedAt) {
        perEvent.atomically(() -> handle(event, seq, recordedAt));
    }

    private void handle(EscrowAccountEvent event, long seq, Instant recordedAt) {
        if (event instanceof EscrowAccountOpened opened) {
            SupervisionPolicy p = opened.policy();
            jdbc.update("insert into alert_account (account_id, institution_id, region_code, minimum_balance_fen, "
                            + "liability_ratio_bp, large_threshold_fen, rapid_drain_24h_bp, rapid_drain_7d_bp, "
                            + "last_sequence) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (account_id) do nothing",
                    opened.accountId(), opened.institutionId(), opened.regionCode(), p.minimumBalanceFen(),
                    p.liabilityRatioBp(), p.largeTransferThresholdFen(), p.rapidDrain24hRatioBp(),
                    p.rapidDrain7dRatioBp(), seq);
            return;
        }
        // One statement advances the position, applies the event's effect and reads the situation back.
        AccountChange change = changeOf(event);
        Object[] args = new Object[change.values().length + 3];
        args[0] = seq;
        System.arraycopy(change.values(), 0, args, 1, change.values().length);
        args[args.length - 2] = event.accountId();
        args[args.length - 1] = seq;
        List<AccountSituation> updated = jdbc.query("update alert_account set last_sequence = ?" + change.assignments()
                + " where account_id = ? and last_sequence < ? returning " + SITUATION_COLUMNS, SITUATION, args);
        if (updated.isEmpty()) {
            return; // taken in before
        }
        AccountSituation account = updated.get(0);
        recordActivity(event, seq);
        for (AlertRule rule : rules) {
            for (AlertSignal signal : rule.evaluate(event, account, history)) {
                book.raise(account, signal, seq, recordedAt);
            }
        }
    }

    @ResetHandler
    void reset() {
        book.clear();
    }

    /** Columns of alert_account an event changes, as extra assignments with their values. */
    private record AccountChange(String assignments, Object... values) {
    }

    private static final AccountChange NO_CHANGE = new AccountChange("");

    private static AccountChange changeOf(EscrowAccountEvent event) {
        if (event instanceof TuitionDeposited e) {
            return money(e.balanceAfterFen(), e.amountFen());
        } else if (event instanceof TuitionRefunded e) {
            return money(e.balanceAfterFen(), -e.amountFen());
        } else if (event instanceof FundsReleased e) {
            return money(e.balanceAfterFen(), 0);
        } else if (event instanceof FundsTransferredOut e) {
            return money(e.balanceAfterFen(), 0);
        } else if (event instanceof InterestCredited e) {
            return money(e.balanceAfterFen(), 0);
        } else if (event instanceof BankFeeCharged e) {
            return money(e.balanceAfterFen(), 0);
        } else if (event instanceof AdjustmentPosted e) {
            return money(e.balanceAfterFen(), 0);
        } else if (event instanceof LessonsConsumed e) {
            return new AccountChange(", liability_fen = liability_fen - ?", e.consumedValueFen());
        } else if (event instanceof SupervisionTermsChanged e) {
            SupervisionPolicy p = e.policy();
            return new AccountChange(", minimum_balance_fen = ?, liability_ratio_bp = ?, large_threshold_fen = ?, "
                    + "rapid_drain_24h_bp = ?, rapid_drain_7d_bp = ?", p.minimumBalanceFen(), p.liabilityRatioBp(),
                    p.largeTransferThresholdFen(), p.rapidDrain24hRatioBp(), p.rapidDrain7dRatioBp());
        }
        return NO_CHANGE;
    }

    private static AccountChange money(long balanceAfterFen, long liabilityChangeFen) {
        return new AccountChange(", balance_fen = ?, liability_fen = liability_fen + ?", balanceAfterFen,
                liabilityChangeFen);
    }

    /** The money and lesson facts the rules look back over. */
    private void recordActivity(EscrowAccountEvent event, long seq) {
        String id = event.accountId();
        Instant at = event.occurredAt();
        if (event instanceof TuitionDeposited e) {
            history.record(id, seq, at, Activity.Kind.DEPOSIT, e.amountFen(), e.amountFen());
        } else if (event instanceof FundsReleased e) {
            history.record(id, seq, at, Activity.Kind.RELEASE, e.amountFen(), -e.amountFen());
        } else if (event instanceof TuitionRefunded e) {
            history.record(id, seq, at, Activity.Kind.REFUND, e.amountFen(), -e.amountFen());
        } else if (event instanceof FundsTransferredOut e) {
            history.record(id, seq, at, Activity.Kind.TRANSFER_OUT, e.amountFen(), -e.amountFen());
        } else if (event instanceof InterestCredited e) {
            history.record(id, seq, at, Activity.Kind.INTEREST, e.amountFen(), e.amountFen());
        } else if (event instanceof BankFeeCharged e) {
            history.record(id, seq, at, Activity.Kind.BANK_FEE, e.amountFen(), -e.amountFen());
        } else if (event instanceof AdjustmentPosted e) {
            history.record(id, seq, at, Activity.Kind.ADJUSTMENT, Math.abs(e.amountFen()), e.amountFen());
        } else if (event instanceof LessonsConsumed e) {
            history.record(id, seq, at, Activity.Kind.CONSUMPTION, e.consumedValueFen(), 0);
        } else if (event instanceof OutflowRejected e) {
            history.record(id, seq, at, Activity.Kind.OUTFLOW_REJECTED, e.amountFen(), 0);
        }
    }


    AccountSituation situation(String accountId) {
        return situation(jdbc, accountId);
    }

    /** The account as the rules see it, from {@code alert_account}; shared with {@link ConsumptionStallSweep}. */
    private static final String SITUATION_COLUMNS = "account_id, institution_id, region_code, balance_fen, "
            + "liability_fen, minimum_balance_fen, liability_ratio_bp, large_threshold_fen, rapid_drain_24h_bp, "
            + "rapid_drain_7d_bp";
    private static final RowMapper<AccountSituation> SITUATION = (rs, n) -> new AccountSituation(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
            rs.getLong(9), rs.getLong(10));

    public static AccountSituation situation(JdbcTemplate jdbc, String accountId) {
        return jdbc.queryForObject("select " + SITUATION_COLUMNS + " from alert_account where account_id = ?",
                SITUATION, accountId);
    }
}

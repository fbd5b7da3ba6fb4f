package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.WindowedRule;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * YELLOW when families suddenly ask for their money back: many more refunds in a week than usual.
 *
 * <p>Judged at the {@code occurredAt} {@code t} of every {@link TuitionRefunded} (a refund actually paid out
 * of escrow), with the refund itself already in the history. Windows are half-open and by
 * {@code occurredAt}, so a refund posted late is judged at the time it happened:
 * <ul>
 *   <li>this week {@code W = (t − 7 d, t]};</li>
 *   <li>the trailing month {@code M = (t − 37 d, t − 7 d]}, the 30 days before {@code W}.</li>
 * </ul>
 * It raises when {@code count(W) ≥} {@value #MIN_REFUNDS} <em>and</em> {@code count(W)} is at least
 * {@value #SURGE_FACTOR} × the trailing weekly mean {@code count(M) / (30 / 7)}, compared exactly in
 * integers as {@code count(W) × 30 ≥ 3 × 7 × count(M)}. A quiet history (no refunds in {@code M},
 * including a brand-new account) therefore raises from the fifth refund in a week.
 *
 * <p>A refund posted late at {@code t} falls into {@code W} of the windows ending in {@code [t, t + 7 d]}
 * and into {@code M} of those ending in {@code (t + 7 d, t + 37 d]}: it re-judges all of them. In
 * {@code M} it can end a surge that an earlier arrival order saw; the alert book then withdraws the
 * alert when no window holds any more.
 *
 * <p>Choices where DOMAIN.md §5 leaves room: refunds are counted, not summed (a surge of families,
 * whatever the amounts); only paid refunds count, not refused refund requests nor the refund
 * obligations established on closure; days are fixed 24-hour spans, not calendar days. The signal
 * is raised again for every further refund while the surge lasts; the alert book folds these into
 * the one open alert (key {@code ""}).
 *
 * <p>Facts: {@code refundsIn7d}, {@code refundsInTrailing30d} and {@code trailingWeeklyMean} (a
 * decimal string, rounded half-up to two places).
 */
@Component
public class RefundSurgeRule implements WindowedRule {

    /** This week: the refunds judged. */
    public static final Duration WEEK = Duration.ofDays(7);
    /** The month before this week, whose weekly mean is "usual". */
    public static final Duration TRAILING = Duration.ofDays(30);

    private static final Set<Activity.Kind> REFUNDS = Set.of(Activity.Kind.REFUND);

    @Override
    public AlertCode code() {
        return AlertCode.REFUND_SURGE;
    }

    @Override
    public Set<Activity.Kind> movedBy() {
        return REFUNDS;
    }

    @Override
    public Activity.Kind[] judgedAt() {
        return new Activity.Kind[]{Activity.Kind.REFUND};
    }

    @Override
    public Duration reach(AccountSituation account) {
        return WEEK.plus(TRAILING);
    }

    @Override
    public Optional<AlertSignal> judgeAt(AccountSituation account, ActivityHistory history, Instant t) {
        Instant weekStart = t.minus(WEEK);
        int thisWeek = history.count(account.accountId(), weekStart, t, Activity.Kind.REFUND);
        int trailing = history.count(account.accountId(), weekStart.minus(TRAILING), weekStart,
                Activity.Kind.REFUND);
        long weekDays = WEEK.toDays();
        long trailingDays = TRAILING.toDays();
        // thisWeek >= multiple * trailing / (trailingDays / weekDays), without division
        int multiple = account.thresholds().refundSurgeMultiple();
        boolean surge = thisWeek >= account.thresholds().refundSurgeMinRefunds()
                && Math.multiplyExact((long) thisWeek, trailingDays) >= Math.multiplyExact(multiple * weekDays, (long) trailing);
        if (!surge) {
            return Optional.empty();
        }
        String weeklyMean = BigDecimal.valueOf(Math.multiplyExact((long) trailing, weekDays))
                .divide(BigDecimal.valueOf(trailingDays), 2, RoundingMode.HALF_UP).toPlainString();
        return Optional.of(AlertSignal.of(code(), t, thisWeek + " refunds in the 7 days to " + t + ", at least "
                        + multiple + "x the trailing weekly mean of " + weeklyMean + " (" + trailing
                        + " refunds in the 30 days before)",
                Map.of("refundsIn7d", thisWeek, "refundsInTrailing30d", trailing, "trailingWeeklyMean", weeklyMean)));
    }
}

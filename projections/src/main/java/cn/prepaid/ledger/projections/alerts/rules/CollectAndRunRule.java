package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
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
 * RED for the "collect and run" pattern (卷钱跑路): an institution collects far more tuition than usual,
 * and then money flows out of escrow fast.
 *
 * <p>Judged in windows ending at every outflow's {@code occurredAt} {@code t}. Windows are half-open and
 * by {@code occurredAt}; the drain window is {@code D = (t − 7 d, t]}. Two collections are judged, the
 * slow run first:
 * <ul>
 *   <li><b>slow run</b>: collection {@code C = (t − 21 d, t − 7 d]}, the 14 days before {@code D}, against
 *       the trailing {@code T = (t − 77 d, t − 21 d]}, the 56 days before {@code C} (mean per 14 days
 *       {@code deposits(T) / 4});</li>
 *   <li><b>fast run</b>: collection in the drain week itself, {@code C = D}, against the trailing
 *       {@code T = (t − 63 d, t − 7 d]}, the 56 days before it (mean per 7 days {@code deposits(T) / 8}):
 *       deposits surging and drained within the same week. For a young account {@code T} starts no earlier
 *       than a week before its first deposit and the mean is taken over what is left of it, so the weeks
 *       before it existed do not make its ordinary first weeks look like a surge.</li>
 * </ul>
 * Either raises when all hold:
 * <ol>
 *   <li>{@code deposits(C) > 0};</li>
 *   <li>a collection surge: {@code deposits(C) ≥} 2 × the trailing mean per window of
 *       {@code C}'s length, exactly {@code deposits(C) × 56 ≥ 2 × length(C) × deposits(T)}. An account with
 *       no deposits in {@code T} (a brand-new one) counts as a surge;</li>
 *   <li>a drain: {@code outflows(D) ≥} 50 % of {@code deposits(C)}, exactly
 *       {@code outflows(D) × 100 ≥ 50 × deposits(C)}.</li>
 * </ol>
 *
 * <p>Choices where DOMAIN.md §5 leaves room: "deposits" are tuition deposits only (not interest nor
 * positive adjustments); "outflows" are releases, refunds and transfers out, the money the
 * institution's side takes out ({@link Activity.Kind#isOutflow()}), not bank fees, negative
 * adjustments, held or refused outflows; "drain ≥ 50 %" is measured against what was collected in
 * {@code C}, not against the balance; days are fixed 24-hour spans. A deposit or outflow posted late
 * at {@code t} re-judges every window it can fall into (ending in {@code [t, t + 77 d]}); a deposit can
 * also end a surge an earlier arrival order saw, and the alert book then withdraws the alert when no
 * window holds any more. The alert book folds the signals of one account into its one open alert.
 *
 * <p>The multiple (2) and the drain share (50 %) are the policy's ({@code AlertThresholds}); the windows
 * are fixed.
 *
 * <p>Facts (money as wire strings): {@code pattern} ({@code SLOW} or {@code FAST}); for a slow run
 * {@code collectedIn14d}, {@code trailingMeanPer14d}, for a fast run {@code collectedIn7d},
 * {@code trailingMeanPer7d} (means rounded half-up to the fen; the comparison itself is exact); and
 * {@code drainedIn7d} = outflows(D).
 */
@Component
public class CollectAndRunRule implements WindowedRule {

    /** The outflows judged: the 7 days up to and including the outflow. */
    public static final Duration DRAIN_WINDOW = Duration.ofDays(7);
    /** The collection judged in a slow run: the 14 days before the drain window. */
    public static final Duration COLLECTION_WINDOW = Duration.ofDays(14);
    /** What "usual" collection is: the 56 days before the collection window. */
    public static final Duration TRAILING_WINDOW = Duration.ofDays(56);

    @Override
    public AlertCode code() {
        return AlertCode.COLLECT_AND_RUN;
    }

    @Override
    public Set<Activity.Kind> movedBy() {
        return Outflows.AND_DEPOSITS;
    }

    @Override
    public Activity.Kind[] judgedAt() {
        return Outflows.ARRAY;
    }

    @Override
    public Duration reach(AccountSituation account) {
        return DRAIN_WINDOW.plus(COLLECTION_WINDOW).plus(TRAILING_WINDOW);
    }

    @Override
    public Optional<AlertSignal> judgeAt(AccountSituation account, ActivityHistory history, Instant t) {
        Instant drainStart = t.minus(DRAIN_WINDOW);
        return run(account, history, t, "SLOW", drainStart.minus(COLLECTION_WINDOW), drainStart, Instant.MIN)
                .or(() -> run(account, history, t, "FAST", drainStart, t,
                        // a young account's weeks before it existed are not "usual" weeks without deposits
                        history.earliest(account.accountId(), Activity.Kind.DEPOSIT)
                                .map(first -> first.minus(DRAIN_WINDOW)).orElse(Instant.MIN)));
    }

    private Optional<AlertSignal> run(AccountSituation account, ActivityHistory history, Instant t, String pattern,
                                      Instant collectionStart, Instant collectionEnd, Instant trailingNotBefore) {
        String id = account.accountId();
        long collected = history.sum(id, collectionStart, collectionEnd, Activity.Kind.DEPOSIT);
        if (collected <= 0) {
            return Optional.empty();
        }
        Instant trailingStart = collectionStart.minus(TRAILING_WINDOW);
        long trailing = history.sum(id, trailingStart, collectionStart, Activity.Kind.DEPOSIT);
        if (trailingNotBefore.isAfter(trailingStart)) {
            trailingStart = trailingNotBefore.isBefore(collectionStart) ? trailingNotBefore : collectionStart;
        }
        long collectionDays = Duration.between(collectionStart, collectionEnd).toDays();
        long collectionMinutes = Duration.between(collectionStart, collectionEnd).toMinutes();
        long trailingMinutes = Duration.between(trailingStart, collectionStart).toMinutes();
        long multiple = account.thresholds().collectAndRunMultiple();
        long drainBp = account.thresholds().collectAndRunDrainBp();
        // collected >= multiple * trailing * collectionMinutes / trailingMinutes, without division
        boolean surge = Math.multiplyExact(collected, trailingMinutes)
                >= Math.multiplyExact(Math.multiplyExact(multiple, collectionMinutes), trailing);
        if (!surge) {
            return Optional.empty();
        }
        long drained = history.sum(id, t.minus(DRAIN_WINDOW), t, Outflows.ARRAY);
        if (Math.multiplyExact(drained, Ratio.ONE_BP) < Math.multiplyExact(drainBp, collected)) {
            return Optional.empty();
        }
        long trailingMean = trailingMinutes == 0 ? 0 : BigDecimal.valueOf(trailing)
                .multiply(BigDecimal.valueOf(collectionMinutes))
                .divide(BigDecimal.valueOf(trailingMinutes), 0, RoundingMode.HALF_UP).longValueExact();
        String days = collectionDays + "d";
        return Optional.of(AlertSignal.of(code(), t, "collected " + Money.ofFen(collected) + " in the " + collectionDays
                        + " days to " + collectionEnd + " (at least " + multiple + "x the trailing mean of "
                        + Money.ofFen(trailingMean) + " per " + collectionDays + " days), then "
                        + Money.ofFen(drained) + " (at least " + Ratio.ofBasisPoints(drainBp) + " of it) flowed out in the 7 days to " + t,
                Map.of("pattern", pattern, "collectedIn" + days, Money.ofFen(collected).toWire(),
                        "trailingMeanPer" + days, Money.ofFen(trailingMean).toWire(),
                        "drainedIn7d", Money.ofFen(drained).toWire())));
    }
}

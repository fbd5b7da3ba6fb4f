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
import java.util.Arrays;
import java.util.HashMap;
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
 *   <li><b>fast run</b>: collection in the drain week itself, {@code C = D}, against the busiest of the 8
 *       weeks before it (not their mean: tuition comes in seasons, and a renewal week is ordinary beside
 *       the enrolment week though well above the mean): deposits surging and drained within the same
 *       week.</li>
 * </ul>
 * Either raises when all hold:
 * <ol>
 *   <li>{@code deposits(C) > 0};</li>
 *   <li>a collection surge: {@code deposits(C) ≥} 2 × the trailing mean per 14 days (slow), exactly
 *       {@code deposits(C) × 56 ≥ 2 × 14 × deposits(T)}, or ≥ 2 × the busiest trailing week (fast). An
 *       account with no deposits before {@code C} (a brand-new one) counts as a surge;</li>
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
 * {@code collectedIn14d}, {@code trailingMeanPer14d} (rounded half-up to the fen; the comparison itself is
 * exact), for a fast run {@code collectedIn7d}, {@code busiestWeekBefore}; and {@code drainedIn7d} =
 * outflows(D).
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
        return slowRun(account, history, t).or(() -> fastRun(account, history, t));
    }

    /** Collected in the 14 days before the drain week at least {@code multiple} × the trailing mean per 14 days. */
    private Optional<AlertSignal> slowRun(AccountSituation account, ActivityHistory history, Instant t) {
        String id = account.accountId();
        Instant collectionEnd = t.minus(DRAIN_WINDOW);
        Instant collectionStart = collectionEnd.minus(COLLECTION_WINDOW);
        long collected = history.sum(id, collectionStart, collectionEnd, Activity.Kind.DEPOSIT);
        long trailing = history.sum(id, collectionStart.minus(TRAILING_WINDOW), collectionStart, Activity.Kind.DEPOSIT);
        long multiple = account.thresholds().collectAndRunMultiple();
        // collected >= multiple * trailing * 14 / 56, without division
        boolean surge = collected > 0 && Math.multiplyExact(collected, TRAILING_WINDOW.toDays())
                >= Math.multiplyExact(Math.multiplyExact(multiple, COLLECTION_WINDOW.toDays()), trailing);
        long trailingMean = BigDecimal.valueOf(trailing).multiply(BigDecimal.valueOf(COLLECTION_WINDOW.toDays()))
                .divide(BigDecimal.valueOf(TRAILING_WINDOW.toDays()), 0, RoundingMode.HALF_UP).longValueExact();
        return surge ? drained(account, history, t, collected, Map.of("pattern", "SLOW",
                "collectedIn14d", Money.ofFen(collected).toWire(),
                "trailingMeanPer14d", Money.ofFen(trailingMean).toWire()),
                "collected " + Money.ofFen(collected) + " in the 14 days to " + collectionEnd + " (at least " + multiple
                        + "x the trailing mean of " + Money.ofFen(trailingMean) + " per 14 days)") : Optional.empty();
    }

    /**
     * Collected in the drain week itself at least {@code multiple} × the busiest of the 8 weeks before it. The
     * busiest week, not the mean: tuition comes in seasons (enrolment, renewals), and a renewal week is
     * ordinary beside an enrolment week though it is well above the weeks' mean.
     */
    private Optional<AlertSignal> fastRun(AccountSituation account, ActivityHistory history, Instant t) {
        String id = account.accountId();
        Instant weekStart = t.minus(DRAIN_WINDOW);
        long collected = history.sum(id, weekStart, t, Activity.Kind.DEPOSIT);
        if (collected <= 0) {
            return Optional.empty();
        }
        long[] weeks = new long[(int) (TRAILING_WINDOW.toDays() / DRAIN_WINDOW.toDays())];
        for (Activity deposit : history.between(id, weekStart.minus(TRAILING_WINDOW), weekStart, Activity.Kind.DEPOSIT)) {
            // week k is (weekStart − 7 d × (k + 1), weekStart − 7 d × k]
            long k = (Duration.between(deposit.occurredAt(), weekStart).toMinutes() - 1) / DRAIN_WINDOW.toMinutes();
            weeks[(int) Math.max(0, k)] += deposit.amountFen();
        }
        long busiest = Arrays.stream(weeks).max().orElse(0);
        long multiple = account.thresholds().collectAndRunMultiple();
        if (collected < Math.multiplyExact(multiple, busiest)) {
            return Optional.empty();
        }
        return drained(account, history, t, collected, Map.of("pattern", "FAST",
                "collectedIn7d", Money.ofFen(collected).toWire(), "busiestWeekBefore", Money.ofFen(busiest).toWire()),
                "collected " + Money.ofFen(collected) + " in the 7 days to " + t + " (at least " + multiple
                        + "x the busiest of the 8 weeks before, " + Money.ofFen(busiest) + ")");
    }

    /** The signal when the outflows of the drain week take at least the drain share of what was collected. */
    private Optional<AlertSignal> drained(AccountSituation account, ActivityHistory history, Instant t, long collected,
                                          Map<String, Object> collectionFacts, String collection) {
        long drained = history.sum(account.accountId(), t.minus(DRAIN_WINDOW), t, Outflows.ARRAY);
        long drainBp = account.thresholds().collectAndRunDrainBp();
        if (Math.multiplyExact(drained, Ratio.ONE_BP) < Math.multiplyExact(drainBp, collected)) {
            return Optional.empty();
        }
        Map<String, Object> facts = new HashMap<>(collectionFacts);
        facts.put("drainedIn7d", Money.ofFen(drained).toWire());
        return Optional.of(AlertSignal.of(code(), t, collection + ", then " + Money.ofFen(drained) + " (at least "
                + Ratio.ofBasisPoints(drainBp) + " of it) flowed out in the 7 days to " + t, facts));
    }
}

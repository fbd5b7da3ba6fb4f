package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RED for the "collect and run" pattern (卷钱跑路): an institution collects far more tuition than usual
 * in two weeks, and then money flows out of escrow fast.
 *
 * <p>Judged on every outflow ({@link FundsReleased}, {@link TuitionRefunded}, {@link FundsTransferredOut})
 * at its {@code occurredAt} {@code t}, with the outflow itself already in the history. Windows are
 * half-open and by {@code occurredAt}, so an outflow posted late is judged at the time it happened:
 * <ul>
 *   <li>drain {@code D = (t − 7 d, t]};</li>
 *   <li>collection {@code C = (t − 21 d, t − 7 d]}, the 14 days before {@code D};</li>
 *   <li>trailing {@code T = (t − 77 d, t − 21 d]}, the 56 days before {@code C}; its mean per 14 days
 *       is {@code deposits(T) / 4}.</li>
 * </ul>
 * It raises when all hold:
 * <ol>
 *   <li>{@code deposits(C) > 0};</li>
 *   <li>a collection surge: {@code deposits(C) ≥} {@value #SURGE_FACTOR} × the trailing mean, exactly
 *       {@code deposits(C) × 56 ≥ 2 × 14 × deposits(T)}, i.e. {@code deposits(C) × 4 ≥ 2 × deposits(T)}.
 *       An account with no deposits in {@code T} (a brand-new one) counts as a surge;</li>
 *   <li>a drain: {@code outflows(D) ≥} {@value #DRAIN_PERCENT} % of {@code deposits(C)}, exactly
 *       {@code outflows(D) × 100 ≥ 50 × deposits(C)}.</li>
 * </ol>
 *
 * <p>Choices where DOMAIN.md §5 leaves room: "deposits" are tuition deposits only (not interest nor
 * positive adjustments); "outflows" are releases, refunds and transfers out, the money the
 * institution's side takes out ({@link Activity.Kind#isOutflow()}), not bank fees, negative
 * adjustments, held or refused outflows; "drain ≥ 50 %" is measured against what was collected in
 * {@code C}, not against the balance; deposits inside {@code D} neither add to the collection nor
 * offset the drain; days are fixed 24-hour spans. Only outflows are judged, so a deposit posted late
 * into an earlier collection window is seen from the next outflow on. The signal is raised again
 * for every further outflow while the pattern holds; the alert book folds these into the one open
 * alert (key {@code ""}).
 *
 * <p>Facts (money as wire strings): {@code collectedIn14d} = deposits(C), {@code trailingMeanPer14d}
 * = deposits(T) / 4 rounded half-up to the fen (the comparison itself is exact), {@code drainedIn7d}
 * = outflows(D).
 */
@Component
public class CollectAndRunRule implements AlertRule {

    /** The outflows judged: the 7 days up to and including the outflow. */
    public static final Duration DRAIN_WINDOW = Duration.ofDays(7);
    /** The collection judged: the 14 days before the drain window. */
    public static final Duration COLLECTION_WINDOW = Duration.ofDays(14);
    /** What "usual" collection is: the 56 days (four collection windows) before the collection window. */
    public static final Duration TRAILING_WINDOW = Duration.ofDays(56);
    /** The collection must be at least this many times the trailing mean per collection window. */
    public static final long SURGE_FACTOR = 2;
    /** The drain must be at least this percentage of the collection. */
    public static final long DRAIN_PERCENT = 50;

    private static final Activity.Kind[] OUTFLOWS = Arrays.stream(Activity.Kind.values())
            .filter(Activity.Kind::isOutflow).toArray(Activity.Kind[]::new);

    @Override
    public AlertCode code() {
        return AlertCode.COLLECT_AND_RUN;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (!(event instanceof FundsReleased || event instanceof TuitionRefunded
                || event instanceof FundsTransferredOut)) {
            return List.of();
        }
        String id = account.accountId();
        Instant t = event.occurredAt();
        Instant collectionEnd = t.minus(DRAIN_WINDOW);
        Instant collectionStart = collectionEnd.minus(COLLECTION_WINDOW);
        long collected = history.sum(id, collectionStart, collectionEnd, Activity.Kind.DEPOSIT);
        if (collected <= 0) {
            return List.of();
        }
        long trailing = history.sum(id, collectionStart.minus(TRAILING_WINDOW), collectionStart,
                Activity.Kind.DEPOSIT);
        long collectionDays = COLLECTION_WINDOW.toDays();
        long trailingDays = TRAILING_WINDOW.toDays();
        // collected >= SURGE_FACTOR * trailing * collectionDays / trailingDays, without division
        boolean surge = Math.multiplyExact(collected, trailingDays)
                >= Math.multiplyExact(Math.multiplyExact(SURGE_FACTOR, collectionDays), trailing);
        if (!surge) {
            return List.of();
        }
        long drained = history.sum(id, collectionEnd, t, OUTFLOWS);
        if (Math.multiplyExact(drained, 100L) < Math.multiplyExact(DRAIN_PERCENT, collected)) {
            return List.of();
        }
        long trailingMean = BigDecimal.valueOf(trailing).multiply(BigDecimal.valueOf(collectionDays))
                .divide(BigDecimal.valueOf(trailingDays), 0, RoundingMode.HALF_UP).longValueExact();
        return List.of(AlertSignal.of(code(), t, "collected " + Money.ofFen(collected) + " in the 14 days to "
                        + collectionEnd + " (at least " + SURGE_FACTOR + "x the trailing mean of "
                        + Money.ofFen(trailingMean) + " per 14 days), then " + Money.ofFen(drained)
                        + " (at least " + DRAIN_PERCENT + "% of it) flowed out in the 7 days to " + t,
                Map.of("collectedIn14d", Money.ofFen(collected).toWire(),
                        "trailingMeanPer14d", Money.ofFen(trailingMean).toWire(),
                        "drainedIn7d", Money.ofFen(drained).toWire())));
    }
}

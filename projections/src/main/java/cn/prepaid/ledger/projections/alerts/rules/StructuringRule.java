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

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RED when, at an outflow's {@code occurredAt} t, at least 3 outflows (releases, refunds, transfers) in
 * {@code (t − 48 h, t]} each fall just under the large threshold: at least 80 % of it and below 100 % (an outflow
 * at the threshold is held as large, another rule). One alert per account.
 */
@Component
public class StructuringRule implements AlertRule {

    public static final Duration WINDOW = Duration.ofHours(48);
    public static final int MIN_OUTFLOWS = 3;
    /** An outflow of at least this share of the large threshold, in percent, and below the threshold, is suspect. */
    public static final long FROM_PERCENT_OF_THRESHOLD = 80;

    private static final Activity.Kind[] OUTFLOWS =
            Arrays.stream(Activity.Kind.values()).filter(Activity.Kind::isOutflow).toArray(Activity.Kind[]::new);

    @Override
    public AlertCode code() {
        return AlertCode.STRUCTURING;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        long threshold = account.largeThresholdFen();
        if (!(event instanceof FundsReleased || event instanceof TuitionRefunded
                || event instanceof FundsTransferredOut) || threshold <= 0) {
            return List.of();
        }
        Instant at = event.occurredAt();
        List<Long> justBelow = history.between(account.accountId(), at.minus(WINDOW), at, OUTFLOWS).stream()
                .map(Activity::amountFen)
                .filter(fen -> Math.multiplyExact(fen, 100L) >= Math.multiplyExact(threshold, FROM_PERCENT_OF_THRESHOLD)
                        && fen < threshold)
                .toList();
        if (justBelow.size() < MIN_OUTFLOWS) {
            return List.of();
        }
        List<String> amounts = justBelow.stream().map(fen -> Money.ofFen(fen).toWire()).toList();
        return List.of(AlertSignal.of(code(), at, justBelow.size() + " outflows in 48h each just below the large "
                        + "threshold " + Money.ofFen(threshold) + ": " + String.join(", ", amounts),
                Map.of("count", justBelow.size(), "amounts", amounts, "threshold", Money.ofFen(threshold).toWire()))
                .keyed(""));
    }
}

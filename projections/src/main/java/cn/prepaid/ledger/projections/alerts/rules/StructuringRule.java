package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.WindowedRule;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RED when, in a window {@code (t − 48 h, t]} ending at an outflow (release, refund, transfer), at least 3
 * outflows each fall just under the large threshold: at least 80 % of it and below 100 % (an outflow at
 * the threshold is held as large, another rule). An outflow posted late re-judges every window it falls
 * into, those ending in {@code [t, t + 48 h]}. One alert per account. The window, the count and the
 * band's lower edge are the policy's ({@code AlertThresholds}); the figures here are the defaults.
 */
@Component
public class StructuringRule implements WindowedRule {

    @Override
    public AlertCode code() {
        return AlertCode.STRUCTURING;
    }

    @Override
    public Set<Activity.Kind> movedBy() {
        return Outflows.KINDS;
    }

    @Override
    public Activity.Kind[] judgedAt() {
        return Outflows.ARRAY;
    }

    @Override
    public Duration reach(AccountSituation account) {
        return Duration.ofHours(account.thresholds().structuringWindowHours());
    }

    @Override
    public Optional<AlertSignal> judgeAt(AccountSituation account, ActivityHistory history, Instant at) {
        long threshold = account.largeThresholdFen();
        if (threshold <= 0) {
            return Optional.empty();
        }
        AlertThresholds thresholds = account.thresholds();
        int windowHours = thresholds.structuringWindowHours();
        List<Long> justBelow = history.between(account.accountId(), at.minus(Duration.ofHours(windowHours)), at,
                        Outflows.ARRAY).stream()
                .map(Activity::amountFen)
                .filter(fen -> Math.multiplyExact(fen, Ratio.ONE_BP)
                        >= Math.multiplyExact(threshold, thresholds.structuringFromBp()) && fen < threshold)
                .toList();
        if (justBelow.size() < thresholds.structuringCount()) {
            return Optional.empty();
        }
        List<String> amounts = justBelow.stream().map(fen -> Money.ofFen(fen).toWire()).toList();
        return Optional.of(AlertSignal.of(code(), at, justBelow.size() + " outflows in " + windowHours + "h each just below the large "
                        + "threshold " + Money.ofFen(threshold) + ": " + String.join(", ", amounts),
                Map.of("count", justBelow.size(), "amounts", amounts, "threshold", Money.ofFen(threshold).toWire())));
    }
}

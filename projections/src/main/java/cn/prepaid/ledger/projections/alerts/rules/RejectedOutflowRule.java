package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.Grade;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * YELLOW when the bank asked for an outflow the rules refused; RED when a window of 24 hours holds three
 * refusals (the count is the policy's). A refusal posted late at {@code t} falls into the windows ending at the refusals in
 * {@code [t, t + 24 h]} and re-judges each of them, so the grade does not depend on the order in which
 * the refusals arrived. One alert per account; its grade only rises.
 */
@Component
public class RejectedOutflowRule implements AlertRule {

    public static final Duration WINDOW = Duration.ofHours(24);

    @Override
    public AlertCode code() {
        return AlertCode.REJECTED_OUTFLOW;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (!(event instanceof OutflowRejected rejected)) {
            return List.of();
        }
        Instant t = rejected.occurredAt();
        List<Instant> around = history.between(account.accountId(), t.minus(WINDOW), t.plus(WINDOW),
                Activity.Kind.OUTFLOW_REJECTED).stream().map(Activity::occurredAt).toList();
        // the fullest window ending at a refusal at or after this one (the refusal itself is in the history)
        int refusals = around.stream().filter(end -> !end.isBefore(t))
                .mapToInt(end -> (int) around.stream().filter(at -> at.isAfter(end.minus(WINDOW)) && !at.isAfter(end))
                        .count())
                .max().orElse(1);
        Grade grade = refusals >= account.thresholds().rejectedOutflowRedCount() ? Grade.RED : Grade.YELLOW;
        return List.of(AlertSignal.of(code(), rejected.occurredAt(), rejected.outflowType() + " of "
                        + Money.ofFen(rejected.amountFen()) + " refused: " + rejected.reason() + " (" + refusals
                        + " refusal(s) in 24 h)",
                Map.of("reason", rejected.reason().name(), "bankTxnId", rejected.bankTxnId(),
                        "amount", Money.ofFen(rejected.amountFen()).toWire(), "refusalsIn24h", refusals))
                .graded(grade));
    }
}

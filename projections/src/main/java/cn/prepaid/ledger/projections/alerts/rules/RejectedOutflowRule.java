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
import java.util.List;
import java.util.Map;

/** YELLOW when the bank asked for an outflow the rules refused; RED from the third refusal within 24 hours. */
@Component
public class RejectedOutflowRule implements AlertRule {

    public static final Duration WINDOW = Duration.ofHours(24);
    public static final int RED_FROM_REFUSALS = 3;

    @Override
    public AlertCode code() {
        return AlertCode.REJECTED_OUTFLOW;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (!(event instanceof OutflowRejected rejected)) {
            return List.of();
        }
        int refusals = history.count(account.accountId(), rejected.occurredAt().minus(WINDOW), rejected.occurredAt(),
                Activity.Kind.OUTFLOW_REJECTED);
        Grade grade = refusals >= RED_FROM_REFUSALS ? Grade.RED : Grade.YELLOW;
        return List.of(AlertSignal.of(code(), rejected.occurredAt(), rejected.outflowType() + " of "
                        + Money.ofFen(rejected.amountFen()) + " refused: " + rejected.reason() + " (" + refusals
                        + " refusal(s) in 24 h)",
                Map.of("reason", rejected.reason().name(), "bankTxnId", rejected.bankTxnId(),
                        "amount", Money.ofFen(rejected.amountFen()).toWire(), "refusalsIn24h", refusals))
                .graded(grade));
    }
}

package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/** YELLOW when an outflow was held as large, and again (same alert) when it is approved. One alert per held outflow. */
@Component
public class LargeOutflowRule implements AlertRule {

    @Override
    public AlertCode code() {
        return AlertCode.LARGE_OUTFLOW;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (event instanceof OutflowHeld held) {
            return List.of(AlertSignal.of(code(), held.occurredAt(), "large " + held.outflowType() + " of "
                            + Money.ofFen(held.amountFen()) + " held for a regulator's decision",
                    Map.of("heldOutflowId", held.heldOutflowId(), "amount", Money.ofFen(held.amountFen()).toWire(),
                            "type", held.outflowType().name(), "decision", "PENDING"))
                    .keyed(held.heldOutflowId()));
        }
        if (event instanceof HeldOutflowApproved approved) {
            return List.of(AlertSignal.of(code(), approved.occurredAt(), "large outflow "
                            + approved.heldOutflowId() + " approved by " + approved.decidedBy(),
                    Map.of("heldOutflowId", approved.heldOutflowId(), "decision", "APPROVED",
                            "decidedBy", String.valueOf(approved.decidedBy())))
                    .keyed(approved.heldOutflowId()));
        }
        return List.of();
    }
}

package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/** RED when the balance is below the floor (after a fee, an adjustment, refunds, or a higher floor). */
@Component
public class BalanceBelowFloorRule implements AlertRule {

    @Override
    public AlertCode code() {
        return AlertCode.BALANCE_BELOW_FLOOR;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (!FloorEvents.mayMoveBalanceOrFloor(event) || account.balanceFen() >= account.floorFen()) {
            return List.of();
        }
        return List.of(AlertSignal.of(code(), event.occurredAt(),
                "balance " + Money.ofFen(account.balanceFen()) + " is below the floor " + Money.ofFen(account.floorFen()),
                Map.of("balance", Money.ofFen(account.balanceFen()).toWire(),
                        "floor", Money.ofFen(account.floorFen()).toWire())));
    }
}

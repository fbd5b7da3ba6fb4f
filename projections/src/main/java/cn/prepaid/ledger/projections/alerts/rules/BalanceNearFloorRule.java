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

/** YELLOW while the balance is at or above the floor but below 120 % of it (below it is RED, another rule). */
@Component
public class BalanceNearFloorRule implements AlertRule {

    /** The warning band above the floor, in percent of the floor. */
    public static final long NEAR_FLOOR_PERCENT = 120;

    @Override
    public AlertCode code() {
        return AlertCode.BALANCE_NEAR_FLOOR;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        long floor = account.floorFen();
        long balance = account.balanceFen();
        boolean near = floor > 0 && balance >= floor && Math.multiplyExact(balance, 100L) < Math.multiplyExact(floor,
                NEAR_FLOOR_PERCENT);
        if (!FloorEvents.mayMoveBalanceOrFloor(event) || !near) {
            return List.of();
        }
        return List.of(AlertSignal.of(code(), event.occurredAt(),
                "balance " + Money.ofFen(balance) + " is within " + (NEAR_FLOOR_PERCENT - 100) + "% above the floor "
                        + Money.ofFen(floor),
                Map.of("balance", Money.ofFen(balance).toWire(), "floor", Money.ofFen(floor).toWire())));
    }
}

package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * YELLOW while the balance is at or above the floor but below floor × (1 + the policy's near-floor band), by
 * default 120 % of it (below the floor is RED, another rule).
 *
 * <p>Not raised where the floor is the unearned tuition itself, covered at a liability ratio of 100 % or
 * more (RISK_RESERVE's default): there the reserve sits at its floor by design, every deposit raises both
 * alike, and a warning would fire on each of them without meaning anything. A floor set by the minimum
 * balance, or by a ratio below 100 %, is warned about as usual; falling below any floor stays RED.
 */
@Component
public class BalanceNearFloorRule implements AlertRule {

    @Override
    public AlertCode code() {
        return AlertCode.BALANCE_NEAR_FLOOR;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        long floor = account.floorFen();
        long balance = account.balanceFen();
        if (account.liabilityRatioBp() >= Ratio.ONE_BP && floor > account.minimumBalanceFen()) {
            return List.of();
        }
        long bandBp = account.thresholds().nearFloorBandBp();
        boolean near = floor > 0 && balance >= floor && Math.multiplyExact(balance, Ratio.ONE_BP)
                < Math.multiplyExact(floor, Ratio.ONE_BP + bandBp);
        if (!FloorEvents.mayMoveBalanceOrFloor(event) || !near) {
            return List.of();
        }
        return List.of(AlertSignal.of(code(), event.occurredAt(),
                "balance " + Money.ofFen(balance) + " is within " + Ratio.ofBasisPoints(bandBp) + " above the floor "
                        + Money.ofFen(floor),
                Map.of("balance", Money.ofFen(balance).toWire(), "floor", Money.ofFen(floor).toWire())));
    }
}

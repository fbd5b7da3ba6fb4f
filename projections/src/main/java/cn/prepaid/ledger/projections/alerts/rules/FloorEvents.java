package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.MoneyMovement;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;

/**
 * The events after which the balance or the floor may have moved: the only ones the floor rules judge.
 * The balance moves with money; the floor with unearned tuition (a consumption, or a deposit or refund,
 * which move money too) and with the policy.
 */
final class FloorEvents {

    private FloorEvents() {
    }

    static boolean mayMoveBalanceOrFloor(EscrowAccountEvent event) {
        return event instanceof MoneyMovement || event instanceof LessonsConsumed
                || event instanceof SupervisionTermsChanged;
    }
}

package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;

/** The events after which the balance or the floor may have moved: the only ones the floor rules judge. */
final class FloorEvents {

    private FloorEvents() {
    }

    static boolean mayMoveBalanceOrFloor(EscrowAccountEvent event) {
        return event instanceof TuitionDeposited || event instanceof FundsReleased || event instanceof TuitionRefunded
                || event instanceof FundsTransferredOut || event instanceof InterestCredited
                || event instanceof BankFeeCharged || event instanceof AdjustmentPosted
                || event instanceof LessonsConsumed || event instanceof SupervisionTermsChanged;
    }
}

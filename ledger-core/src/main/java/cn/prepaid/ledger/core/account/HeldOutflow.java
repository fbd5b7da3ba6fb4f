package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.EarnedTake;

import java.util.List;

/**
 * A large outflow waiting for (or past) a regulator's decision. Its amount is reserved while pending;
 * a transfer's {@code earnedFromOrders} are reserved in their orders too (empty in snapshots taken
 * before transfers could take earned money).
 */
record HeldOutflow(String heldOutflowId, String bankTxnId, OutflowType type, String orderId, long amountFen,
                   String counterparty, String purpose, boolean pending, List<EarnedTake> earnedFromOrders) {

    HeldOutflow {
        earnedFromOrders = earnedFromOrders == null ? List.of() : List.copyOf(earnedFromOrders);
    }

    HeldOutflow decided() {
        return new HeldOutflow(heldOutflowId, bankTxnId, type, orderId, amountFen, counterparty, purpose, false,
                earnedFromOrders);
    }
}

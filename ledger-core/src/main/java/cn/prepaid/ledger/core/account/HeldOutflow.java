package cn.prepaid.ledger.core.account;

/** A large outflow waiting for (or past) a regulator's decision. Its amount is reserved while pending. */
record HeldOutflow(String heldOutflowId, String bankTxnId, OutflowType type, String orderId, long amountFen,
                   String counterparty, String purpose, boolean pending) {

    HeldOutflow decided() {
        return new HeldOutflow(heldOutflowId, bankTxnId, type, orderId, amountFen, counterparty, purpose, false);
    }
}

package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.rules.OutflowRejectionReason;

/**
 * What became of a bank posting. A refused outflow is an outcome, not an exception, because its
 * refusal is recorded and a retry must see the same refusal.
 */
public record PostingOutcome(String postingId, String bankTxnId, Status status, String heldOutflowId,
                             long balanceFen, OutflowRejectionReason rejection, String detail) {

    public enum Status { RECORDED, RELEASED, REFUNDED, TRANSFERRED, HELD, REJECTED }

    static PostingOutcome booked(String postingId, String bankTxnId, Status status, long balanceFen) {
        return new PostingOutcome(postingId, bankTxnId, status, null, balanceFen, null, null);
    }

    static PostingOutcome held(String bankTxnId, String heldOutflowId, long balanceFen) {
        return new PostingOutcome(null, bankTxnId, Status.HELD, heldOutflowId, balanceFen, null, null);
    }

    static PostingOutcome rejected(String bankTxnId, OutflowRejectionReason reason, String detail, long balanceFen) {
        return new PostingOutcome(null, bankTxnId, Status.REJECTED, null, balanceFen, reason, detail);
    }
}

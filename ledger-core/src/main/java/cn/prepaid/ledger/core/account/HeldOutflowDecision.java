package cn.prepaid.ledger.core.account;

/** A regulator's decision on a held outflow; an approval carries the posting it produced. */
public record HeldOutflowDecision(String heldOutflowId, Status status, String postingId, long balanceFen) {

    public enum Status { APPROVED, REJECTED }
}

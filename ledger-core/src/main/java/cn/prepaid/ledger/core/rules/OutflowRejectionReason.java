package cn.prepaid.ledger.core.rules;

/**
 * Why the ledger refused an outflow the bank asked for. A refusal is itself a recorded fact
 * ({@code OutflowRejected}) so that auditors and alert rules see every attempt.
 */
public enum OutflowRejectionReason {
    /** Nothing leaves a frozen account but refunds. */
    ACCOUNT_FROZEN,
    /** Releases and transfers need an ACTIVE (whitelisted) institution. */
    INSTITUTION_NOT_ACTIVE,
    /** The order named by the request is not an order of this account. */
    UNKNOWN_ORDER,
    /** A release beyond the order's consumed-but-unreleased value, or a transfer into unearned tuition. */
    EXCEEDS_RELEASABLE,
    /** A refund beyond the order's unconsumed value. */
    EXCEEDS_REFUNDABLE,
    /** The balance (less outflows already held) does not cover the amount. */
    INSUFFICIENT_FUNDS,
    /** The outflow would take the balance of all the institution's accounts below the institution's floor. */
    BREACHES_FLOOR,
    /** A refund on the order is disputed: its earned value waits until a regulator closes the dispute. */
    ORDER_IN_DISPUTE
}

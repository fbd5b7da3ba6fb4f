package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.core.money.Money;

import java.time.Instant;

/**
 * A held outflow and its decision, if any: who decided, when, with which note (an approval) or
 * reason (a rejection), and the posting an approval produced. The decision fields are null while PENDING.
 */
public record HeldOutflowSummary(String heldOutflowId, String accountId, String institutionId, String regionCode,
                                 String bankCode, String type, Money amount, String bankTxnId, Instant heldAt,
                                 String status, Instant decidedAt, String decidedBy, String decisionNote,
                                 String postingId) {
}

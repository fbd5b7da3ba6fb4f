package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.core.money.Money;

import java.time.Instant;

/** A held outflow and its decision, if any. */
public record HeldOutflowSummary(String heldOutflowId, String accountId, String institutionId, String regionCode,
                                 String type, Money amount, String bankTxnId, Instant heldAt, String status) {
}

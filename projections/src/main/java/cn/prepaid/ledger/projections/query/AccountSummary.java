package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.core.money.Money;

/** An account as the read model knows it; floor and releasable derived from the stored policy values. */
public record AccountSummary(String accountId, String institutionId, String regionCode, String bankCode,
                             String bankAccountNo, Money balance, Money floor, Money releasable,
                             Money outstandingLiability, boolean frozen, int orderCount, long lastSequence) {
}

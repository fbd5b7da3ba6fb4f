package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.core.money.Money;

import java.time.Instant;

/** What a closed institution owes the family of one order, and what refunds have paid of it since. */
public record RefundObligationSummary(String accountId, String orderId, String studentRef, Money amount, Money paid,
                                      Instant establishedAt) {

    public Money outstanding() {
        return Money.ofFen(Math.max(0, amount.fen() - paid.fen()));
    }
}

package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;

/** A tuition order of an account, as the read model keeps it. */
public record OrderSummary(String orderId, String studentRef, int lessons, Money lessonPrice, Money paid,
                           LocalDate courseStart, LocalDate courseEnd, int lessonsConsumed, Money released,
                           Money refunded, Instant depositedAt) {
}

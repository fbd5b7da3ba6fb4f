package cn.prepaid.ledger.core.account;

/** The order after a lesson consumption: what has been consumed, what remains, what may now be released. */
public record ConsumptionOutcome(String orderId, int lessonsConsumed, int lessonsRemaining, long releasableFen) {
}

package cn.prepaid.ledger.core.account;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One prepaid order (one charge) inside an escrow account. All values in fen. Immutable: the
 * account replaces it on every change, which keeps event-sourcing handlers trivially replayable.
 * {@code depositedAt} is when the family paid (the deposit's {@code occurredAt}); null for an order
 * restored from a snapshot taken before it was kept, whose dates are then not checked.
 */
record Order(String orderId, String studentRef, int lessons, long lessonPriceFen, long paidFen,
             LocalDate courseStart, LocalDate courseEnd, int lessonsConsumed, long releasedFen,
             long refundedFen, long heldReleaseFen, Instant depositedAt) {

    static Order deposited(String orderId, String studentRef, int lessons, long lessonPriceFen, long paidFen,
                           LocalDate courseStart, LocalDate courseEnd, Instant depositedAt) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd, 0, 0, 0, 0,
                depositedAt);
    }

    /** Whether something dated {@code at} would come before the family paid: it cannot have happened. */
    boolean predates(Instant at) {
        return depositedAt != null && at.isBefore(depositedAt);
    }

    long consumedValueFen() {
        return Math.multiplyExact((long) lessonsConsumed, lessonPriceFen);
    }

    /** Tuition paid but not yet earned: what a family could still get back (pro rata after the course starts). */
    long unconsumedValueFen() {
        return Math.max(0, paidFen - consumedValueFen() - refundedFen);
    }

    /** Earned by delivered lessons and not yet released or held for release (消拨同步). */
    long releasableFen() {
        return Math.max(0, consumedValueFen() - releasedFen - heldReleaseFen);
    }

    int lessonsRemaining() {
        return (int) (unconsumedValueFen() / lessonPriceFen);
    }

    Order consume(int count) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd,
                lessonsConsumed + count, releasedFen, refundedFen, heldReleaseFen, depositedAt);
    }

    Order release(long amountFen) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd,
                lessonsConsumed, releasedFen + amountFen, refundedFen, heldReleaseFen, depositedAt);
    }

    Order refund(long amountFen) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd,
                lessonsConsumed, releasedFen, refundedFen + amountFen, heldReleaseFen, depositedAt);
    }

    Order holdForRelease(long amountFen) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd,
                lessonsConsumed, releasedFen, refundedFen, heldReleaseFen + amountFen, depositedAt);
    }
}

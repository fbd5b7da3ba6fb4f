package cn.prepaid.ledger.core.account;

import java.time.LocalDate;

/**
 * One prepaid order (one charge) inside an escrow account. All values in fen. Immutable: the
 * account replaces it on every change, which keeps event-sourcing handlers trivially replayable.
 */
record Order(String orderId, String studentRef, int lessons, long lessonPriceFen, long paidFen,
             LocalDate courseStart, LocalDate courseEnd, int lessonsConsumed, long releasedFen,
             long refundedFen, long heldReleaseFen) {

    static Order deposited(String orderId, String studentRef, int lessons, long lessonPriceFen, long paidFen,
                           LocalDate courseStart, LocalDate courseEnd) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd, 0, 0, 0, 0);
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
                lessonsConsumed + count, releasedFen, refundedFen, heldReleaseFen);
    }

    Order release(long amountFen) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd,
                lessonsConsumed, releasedFen + amountFen, refundedFen, heldReleaseFen);
    }

    Order refund(long amountFen) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd,
                lessonsConsumed, releasedFen, refundedFen + amountFen, heldReleaseFen);
    }

    Order holdForRelease(long amountFen) {
        return new Order(orderId, studentRef, lessons, lessonPriceFen, paidFen, courseStart, courseEnd,
                lessonsConsumed, releasedFen, refundedFen, heldReleaseFen + amountFen);
    }
}

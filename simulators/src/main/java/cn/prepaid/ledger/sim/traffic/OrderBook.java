package cn.prepaid.ledger.sim.traffic;

/**
 * One order as the plan keeps it: what the family paid for and what has happened to it since, so that
 * releases and refunds ask for exactly what the ledger will allow.
 */
final class OrderBook {

    final String orderId;
    final int lessons;
    final long priceFen;
    /** The weekday (day of the term modulo 7) of its lessons. */
    final int weekday;
    final int lessonsPerWeek;
    final int firstLessonDay;
    final int lastLessonDay;
    final int depositDay;
    int consumed;
    long releasedFen;
    long refundedFen;
    /** No more lessons: the order was refunded, or a scenario confirmed all of it at once. */
    boolean stopped;
    /** Kept out of the ordinary releases: a scenario releases it on its own days. */
    boolean heldBack;

    OrderBook(String orderId, int lessons, long priceFen, int weekday, int lessonsPerWeek, int firstLessonDay,
              int lastLessonDay, int depositDay) {
        this.orderId = orderId;
        this.lessons = lessons;
        this.priceFen = priceFen;
        this.weekday = weekday;
        this.lessonsPerWeek = lessonsPerWeek;
        this.firstLessonDay = firstLessonDay;
        this.lastLessonDay = lastLessonDay;
        this.depositDay = depositDay;
    }

    long paidFen() {
        return (long) lessons * priceFen;
    }

    long unconsumedFen() {
        return Math.max(0, paidFen() - (long) consumed * priceFen - refundedFen);
    }

    int lessonsRemaining() {
        return (int) (unconsumedFen() / priceFen);
    }

    long releasableFen() {
        return (long) consumed * priceFen - releasedFen;
    }
}

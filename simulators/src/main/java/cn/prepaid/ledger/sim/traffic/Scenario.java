package cn.prepaid.ledger.sim.traffic;

import java.util.Set;

/** What an institution does during the term, and the alert codes that behaviour must raise. */
enum Scenario {
    BENIGN(Set.of()),
    /** A promotion collects far more than usual, then fake lesson confirmations let it be released within days. */
    COLLECT_AND_RUN(Set.of("COLLECT_AND_RUN")),
    /**
     * Two accounts: a promotion late in the term collects into the first, while fake lesson confirmations
     * release next term's prepayments out of the second. Neither account alone looks like a run.
     */
    CROSS_ACCOUNT_RUN(Set.of("COLLECT_AND_RUN")),
    /** Every remaining lesson is confirmed at once and all of it released the same day. */
    RAPID_DRAIN(Set.of("RAPID_DRAIN")),
    /** With a large threshold of ¥5,000 set by the regulator, three releases of ¥4,800 inside 48 hours. */
    STRUCTURING(Set.of("STRUCTURING")),
    /** The same three releases, posted by the bank newest first: the last to arrive happened first. */
    STRUCTURING_OUT_OF_ORDER(Set.of("STRUCTURING")),
    /** Five families take their money back within a week. */
    REFUND_SURGE(Set.of("REFUND_SURGE")),
    /** Lessons stop, new enrolments keep being paid in. */
    CONSUMPTION_STALL(Set.of("CONSUMPTION_STALL")),
    /** The regulator sets a minimum balance; bank fees then take the balance near, then under it. */
    FEES_BELOW_FLOOR(Set.of("BALANCE_NEAR_FLOOR", "BALANCE_BELOW_FLOOR")),
    /** Annual packages: 72 lessons, or six months, in one charge. */
    OVER_CAP(Set.of("CHARGE_CAP_EXCEEDED")),
    /** One daily statement whose closing balance misses ¥1,234.00. */
    STATEMENT_MISMATCH(Set.of("RECONCILIATION_MISMATCH")),
    /** The bank asks to release a whole order before its lessons are given. */
    EARLY_RELEASE(Set.of("REJECTED_OUTFLOW"));

    private final Set<String> expectedCodes;

    Scenario(Set<String> expectedCodes) {
        this.expectedCodes = expectedCodes;
    }

    Set<String> expectedCodes() {
        return expectedCodes;
    }

    String label() {
        return name().toLowerCase().replace('_', '-');
    }
}

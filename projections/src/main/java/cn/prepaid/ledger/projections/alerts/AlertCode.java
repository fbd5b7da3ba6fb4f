package cn.prepaid.ledger.projections.alerts;

/** The alert catalogue of DOMAIN.md §5, each with its default grade. */
public enum AlertCode {
    BALANCE_NEAR_FLOOR(Grade.YELLOW),
    BALANCE_BELOW_FLOOR(Grade.RED),
    LARGE_OUTFLOW(Grade.YELLOW),
    RAPID_DRAIN(Grade.RED),
    STRUCTURING(Grade.RED),
    REFUND_SURGE(Grade.YELLOW),
    CHARGE_CAP_EXCEEDED(Grade.YELLOW),
    COLLECT_AND_RUN(Grade.RED),
    CONSUMPTION_STALL(Grade.YELLOW),
    REJECTED_OUTFLOW(Grade.YELLOW),
    RECONCILIATION_MISMATCH(Grade.RED),
    REFUND_DISPUTE_OVERDUE(Grade.YELLOW);

    private final Grade defaultGrade;

    AlertCode(Grade defaultGrade) {
        this.defaultGrade = defaultGrade;
    }

    public Grade defaultGrade() {
        return defaultGrade;
    }
}

package cn.prepaid.ledger.core.rules;

/**
 * Why the ledger refused a command that changes nothing (unlike {@link OutflowRejectionReason},
 * these refusals are not recorded). {@link Kind} tells a caller how to answer.
 */
public enum LedgerRejection {
    INSTITUTION_NOT_FOUND(Kind.NOT_FOUND),
    ACCOUNT_NOT_FOUND(Kind.NOT_FOUND),
    ORDER_NOT_FOUND(Kind.NOT_FOUND),
    HELD_OUTFLOW_NOT_FOUND(Kind.NOT_FOUND),
    DISPUTE_NOT_FOUND(Kind.NOT_FOUND),

    INSTITUTION_ALREADY_EXISTS(Kind.CONFLICT),
    ACCOUNT_ALREADY_EXISTS(Kind.CONFLICT),
    ORDER_ALREADY_EXISTS(Kind.CONFLICT),
    ILLEGAL_STATUS_TRANSITION(Kind.CONFLICT),
    INSTITUTION_CLOSED(Kind.CONFLICT),
    ACCOUNT_ALREADY_FROZEN(Kind.CONFLICT),
    ACCOUNT_NOT_FROZEN(Kind.CONFLICT),
    HELD_OUTFLOW_ALREADY_DECIDED(Kind.CONFLICT),
    DISPUTE_ALREADY_EXISTS(Kind.CONFLICT),
    DISPUTE_ALREADY_CLOSED(Kind.CONFLICT),

    INSTITUTION_CANNOT_OPEN_ACCOUNTS(Kind.UNPROCESSABLE),
    LESSONS_EXCEED_REMAINING(Kind.UNPROCESSABLE),
    HELD_OUTFLOW_BLOCKED(Kind.UNPROCESSABLE),
    /** A consumption or refund dated before its order's deposit: it cannot have happened. */
    OCCURRED_BEFORE_DEPOSIT(Kind.UNPROCESSABLE),

    AMOUNT_INVALID(Kind.INVALID),
    AMOUNT_MISMATCH(Kind.INVALID),
    COURSE_DATES_INVALID(Kind.INVALID),
    LESSONS_INVALID(Kind.INVALID);

    public enum Kind { NOT_FOUND, CONFLICT, UNPROCESSABLE, INVALID }

    private final Kind kind;

    LedgerRejection(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

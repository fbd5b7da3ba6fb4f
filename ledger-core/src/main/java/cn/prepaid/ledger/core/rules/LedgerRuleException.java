package cn.prepaid.ledger.core.rules;

/** A command the domain refused without recording anything; carries the explicit reason. */
public class LedgerRuleException extends RuntimeException {

    private final LedgerRejection rejection;

    public LedgerRuleException(LedgerRejection rejection, String detail) {
        super(detail, null, false, false);
        this.rejection = rejection;
    }

    public LedgerRejection rejection() {
        return rejection;
    }

    public static void check(boolean condition, LedgerRejection rejection, String detail) {
        if (!condition) {
            throw new LedgerRuleException(rejection, detail);
        }
    }
}

package cn.prepaid.ledger.api.http.openapi;

/** How money and ratios look on the wire (docs/api.md, Conventions), as schema patterns. */
public final class MoneyPatterns {

    /** A money field a client sends: up to two fraction digits, an optional minus, no exponent. */
    public static final String REQUEST = "^-?\\d{1,16}(\\.\\d{1,2})?$";
    /** An amount that cannot be negative (every posting but an ADJUSTMENT, prices, policy values). */
    public static final String UNSIGNED_REQUEST = "^\\d{1,16}(\\.\\d{1,2})?$";
    /** Money in answers: always two fraction digits. */
    public static final String ANSWER = "^-?\\d{1,16}\\.\\d{2}$";
    /** A policy ratio between 0 and 1, up to four fraction digits. */
    public static final String RATIO = "^\\d{1,4}(\\.\\d{1,4})?$";

    private MoneyPatterns() {
    }
}

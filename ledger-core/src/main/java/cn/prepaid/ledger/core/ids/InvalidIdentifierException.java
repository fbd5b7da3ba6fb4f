package cn.prepaid.ledger.core.ids;

/** An identifier or code that does not have the required form; names the field it came from. */
public class InvalidIdentifierException extends IllegalArgumentException {

    private final String field;

    public InvalidIdentifierException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

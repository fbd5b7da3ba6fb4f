package cn.prepaid.ledger.core.ids;

/** A client-chosen {@code bankTxnId}; see {@link ClientIds} for its form. */
public record BankTxnId(String value) {

    public BankTxnId {
        ClientIds.require("bankTxnId", value);
    }

    public static BankTxnId of(String value) {
        return new BankTxnId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

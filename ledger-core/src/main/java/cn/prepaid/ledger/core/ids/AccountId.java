package cn.prepaid.ledger.core.ids;

/** A client-chosen {@code accountId}; see {@link ClientIds} for its form. */
public record AccountId(String value) {

    public AccountId {
        ClientIds.require("accountId", value);
    }

    public static AccountId of(String value) {
        return new AccountId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

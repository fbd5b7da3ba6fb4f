package cn.prepaid.ledger.core.ids;

/** A client-chosen {@code requestId}; see {@link ClientIds} for its form. */
public record RequestId(String value) {

    public RequestId {
        ClientIds.require("requestId", value);
    }

    public static RequestId of(String value) {
        return new RequestId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

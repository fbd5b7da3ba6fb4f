package cn.prepaid.ledger.core.ids;

/** A client-chosen {@code disputeId}; see {@link ClientIds} for its form. */
public record DisputeId(String value) {

    public DisputeId {
        ClientIds.require("disputeId", value);
    }

    public static DisputeId of(String value) {
        return new DisputeId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

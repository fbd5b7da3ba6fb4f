package cn.prepaid.ledger.core.ids;

/** A client-chosen {@code consumptionId}; see {@link ClientIds} for its form. */
public record ConsumptionId(String value) {

    public ConsumptionId {
        ClientIds.require("consumptionId", value);
    }

    public static ConsumptionId of(String value) {
        return new ConsumptionId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

package cn.prepaid.ledger.core.ids;

/** A client-chosen {@code orderId}; see {@link ClientIds} for its form. */
public record OrderId(String value) {

    public OrderId {
        ClientIds.require("orderId", value);
    }

    public static OrderId of(String value) {
        return new OrderId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

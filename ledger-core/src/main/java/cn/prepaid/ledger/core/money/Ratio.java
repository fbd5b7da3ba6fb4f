package cn.prepaid.ledger.core.money;

import java.util.regex.Pattern;

/**
 * A non-negative ratio held exactly in basis points (1.0 = 10,000 bp), e.g. the liability ratio of
 * a floor or the share of the balance that makes an outflow large. The wire form is a decimal
 * string with at most four fraction digits ("0.20").
 */
public record Ratio(long basisPoints) {

    public static final long ONE_BP = 10_000L;
    private static final Pattern WIRE = Pattern.compile("\\d{1,4}(\\.\\d{1,4})?");

    public Ratio {
        if (basisPoints < 0) {
            throw new IllegalArgumentException("a ratio cannot be negative: " + basisPoints + " bp");
        }
    }

    public static Ratio ofBasisPoints(long basisPoints) {
        return new Ratio(basisPoints);
    }

    public static Ratio parse(String wire) {
        if (wire == null || wire.isEmpty()) {
            throw new MoneyFormatException(MoneyFormatException.Problem.MISSING, "a ratio is required");
        }
        if (!WIRE.matcher(wire).matches()) {
            throw new MoneyFormatException(MoneyFormatException.Problem.NOT_A_DECIMAL,
                    "not a ratio with at most four decimals: " + wire);
        }
        int dot = wire.indexOf('.');
        String whole = dot < 0 ? wire : wire.substring(0, dot);
        String fraction = dot < 0 ? "" : wire.substring(dot + 1);
        String padded = (fraction + "0000").substring(0, 4);
        return new Ratio(Long.parseLong(whole) * ONE_BP + Long.parseLong(padded));
    }

    /** The wire form with at least two fraction digits: 2000 bp prints as "0.20", 1234 bp as "0.1234". */
    public String toWire() {
        String fraction = String.format("%04d", basisPoints % ONE_BP);
        while (fraction.length() > 2 && fraction.endsWith("0")) {
            fraction = fraction.substring(0, fraction.length() - 1);
        }
        return (basisPoints / ONE_BP) + "." + fraction;
    }

    /** This share of an amount, rounded up to the fen: a floor must never be rounded in the institution's favour. */
    public Money ofRoundedUp(Money amount) {
        long product = Math.multiplyExact(amount.fen(), basisPoints);
        return Money.ofFen(-Math.floorDiv(-product, ONE_BP));
    }

    /** Whether {@code part ≥ this × whole}, computed exactly without division. */
    public boolean isReachedBy(Money part, Money whole) {
        return Math.multiplyExact(part.fen(), ONE_BP) >= Math.multiplyExact(whole.fen(), basisPoints);
    }

    @Override
    public String toString() {
        return toWire();
    }
}

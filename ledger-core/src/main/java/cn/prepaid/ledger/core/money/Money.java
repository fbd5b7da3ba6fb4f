package cn.prepaid.ledger.core.money;

import java.util.regex.Pattern;

/**
 * An amount of CNY in fen (分). The wire form is a decimal string with at most two fraction
 * digits ("1234.50"); floating point never touches money. Arithmetic throws on overflow rather
 * than wrapping, because a wrapped balance is a silently wrong balance.
 */
public record Money(long fen) implements Comparable<Money> {

    public static final Money ZERO = new Money(0);
    /** The largest amount one posting may carry: ¥1,000,000,000.00 (API.md). */
    public static final Money MAX_POSTING = new Money(100_000_000_000L);

    private static final Pattern WIRE = Pattern.compile("-?\\d{1,16}(\\.\\d{1,2})?");
    private static final Pattern MORE_DECIMALS = Pattern.compile("-?\\d{1,16}\\.\\d{3,}");

    public static Money ofFen(long fen) {
        return new Money(fen);
    }

    public static Money ofYuan(long yuan) {
        return new Money(Math.multiplyExact(yuan, 100L));
    }

    /**
     * Parses the wire form. Accepts an optional minus sign, digits, and up to two fraction digits;
     * rejects exponents, spaces, plus signs, thousands separators and a third decimal.
     *
     * @throws MoneyFormatException naming what is wrong with the text
     */
    public static Money parse(String wire) {
        if (wire == null || wire.isEmpty()) {
            throw new MoneyFormatException(MoneyFormatException.Problem.MISSING, "an amount is required");
        }
        if (MORE_DECIMALS.matcher(wire).matches()) {
            throw new MoneyFormatException(MoneyFormatException.Problem.TOO_MANY_DECIMALS,
                    "at most two fraction digits are allowed: " + wire);
        }
        if (!WIRE.matcher(wire).matches()) {
            throw new MoneyFormatException(MoneyFormatException.Problem.NOT_A_DECIMAL,
                    "not a decimal amount: " + wire);
        }
        boolean negative = wire.startsWith("-");
        String unsigned = negative ? wire.substring(1) : wire;
        int dot = unsigned.indexOf('.');
        String whole = dot < 0 ? unsigned : unsigned.substring(0, dot);
        String fraction = dot < 0 ? "" : unsigned.substring(dot + 1);
        long fen = Math.addExact(Math.multiplyExact(Long.parseLong(whole), 100L),
                fraction.isEmpty() ? 0 : Long.parseLong(fraction.length() == 1 ? fraction + "0" : fraction));
        return new Money(negative ? -fen : fen);
    }

    /** The wire form, always with two fraction digits: 123450 fen prints as "1234.50". */
    public String toWire() {
        long abs = Math.abs(fen);
        String digits = (fen < 0 ? "-" : "") + (abs / 100) + "." + (abs % 100 < 10 ? "0" : "") + (abs % 100);
        return fen == Long.MIN_VALUE ? "-92233720368547758.08" : digits;
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(fen, other.fen));
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(fen, other.fen));
    }

    public Money times(long factor) {
        return new Money(Math.multiplyExact(fen, factor));
    }

    public Money negate() {
        return new Money(Math.negateExact(fen));
    }

    public boolean isPositive() {
        return fen > 0;
    }

    public boolean isNegative() {
        return fen < 0;
    }

    public boolean isZero() {
        return fen == 0;
    }

    public boolean isGreaterThan(Money other) {
        return fen > other.fen;
    }

    public boolean isLessThan(Money other) {
        return fen < other.fen;
    }

    public static Money max(Money a, Money b) {
        return a.fen >= b.fen ? a : b;
    }

    public static Money min(Money a, Money b) {
        return a.fen <= b.fen ? a : b;
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(fen, other.fen);
    }

    @Override
    public String toString() {
        return toWire();
    }
}

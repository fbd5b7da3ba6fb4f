package cn.prepaid.ledger.core.money;

import cn.prepaid.ledger.core.money.MoneyFormatException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({
            "1234.50, 123450",
            "-20.00, -2000",
            "0.05, 5",
            "0.5, 50",
            "7, 700",
            "-0.01, -1",
            "0, 0",
            "-0.00, 0",
            "007.10, 710",
            "9999999999999999.99, 999999999999999999"
    })
    void parsesTheWireFormIntoFen(String wire, long fen) {
        assertThat(Money.parse(wire).fen()).isEqualTo(fen);
    }

    @ParameterizedTest
    @CsvSource({
            "123450, 1234.50",
            "-2000, -20.00",
            "5, 0.05",
            "-5, -0.05",
            "0, 0.00",
            "10, 0.10",
            "100, 1.00",
            "9223372036854775807, 92233720368547758.07",
            "-9223372036854775808, -92233720368547758.08"
    })
    void printsTheWireFormWithTwoFractionDigits(long fen, String wire) {
        assertThat(Money.ofFen(fen).toWire()).isEqualTo(wire);
        assertThat(Money.ofFen(fen)).hasToString(wire);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234.50", "-20.00", "0.05", "0.00", "-0.99", "1000000000.00"})
    void printingAndParsingRoundTrip(String wire) {
        assertThat(Money.parse(wire).toWire()).isEqualTo(wire);
        assertThat(Money.parse(Money.parse(wire).toWire())).isEqualTo(Money.parse(wire));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.234", "0.001", "-20.000", "1234.505"})
    void rejectsAThirdDecimal(String wire) {
        assertThatThrownBy(() -> Money.parse(wire))
                .isInstanceOf(MoneyFormatException.class)
                .satisfies(e -> assertThat(((MoneyFormatException) e).problem()).isEqualTo(Problem.TOO_MANY_DECIMALS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e5", "1E5", "1.5e2", "12.00E-1", " 1.00", "1.00 ", "1 000.00", "+1.00", "1,000.00",
            ".50", "5.", "--1", "-", "abc", "1.2.3", "１２", "12345678901234567", "0x10", "NaN", "Infinity"})
    void rejectsAnythingButPlainDecimals(String wire) {
        assertThatThrownBy(() -> Money.parse(wire))
                .isInstanceOf(MoneyFormatException.class)
                .satisfies(e -> assertThat(((MoneyFormatException) e).problem()).isEqualTo(Problem.NOT_A_DECIMAL));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsAMissingAmount(String wire) {
        assertThatThrownBy(() -> Money.parse(wire))
                .isInstanceOf(MoneyFormatException.class)
                .satisfies(e -> assertThat(((MoneyFormatException) e).problem()).isEqualTo(Problem.MISSING));
    }

    @Test
    void aFormatProblemIsAnIllegalArgument() {
        assertThatThrownBy(() -> Money.parse("1.234")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.234");
    }

    @Test
    void ofYuanConvertsToFen() {
        assertThat(Money.ofYuan(50_000).fen()).isEqualTo(5_000_000L);
        assertThat(Money.ofYuan(-3).fen()).isEqualTo(-300L);
    }

    @Test
    void arithmeticIsExact() {
        Money a = Money.parse("1234.50");
        Money b = Money.parse("0.05");
        assertThat(a.plus(b)).isEqualTo(Money.ofFen(123455));
        assertThat(b.minus(a)).isEqualTo(Money.ofFen(-123445));
        assertThat(a.times(3)).isEqualTo(Money.ofFen(370350));
        assertThat(a.negate()).isEqualTo(Money.ofFen(-123450));
        // 0.10 + 0.20 is exactly 0.30, unlike with doubles
        assertThat(Money.parse("0.10").plus(Money.parse("0.20"))).isEqualTo(Money.parse("0.30"));
    }

    @Test
    void additionOverflowThrows() {
        assertThatThrownBy(() -> Money.ofFen(Long.MAX_VALUE).plus(Money.ofFen(1)))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void subtractionOverflowThrows() {
        assertThatThrownBy(() -> Money.ofFen(Long.MIN_VALUE).minus(Money.ofFen(1)))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void multiplicationOverflowThrows() {
        assertThatThrownBy(() -> Money.ofFen(Long.MAX_VALUE / 2 + 1).times(2))
                .isInstanceOf(ArithmeticException.class);
        assertThat(Money.ofFen(Long.MAX_VALUE / 2).times(2).fen()).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void negatingTheMostNegativeAmountThrows() {
        assertThatThrownBy(() -> Money.ofFen(Long.MIN_VALUE).negate()).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void ofYuanOverflowThrows() {
        assertThatThrownBy(() -> Money.ofYuan(Long.MAX_VALUE / 100 + 1)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void comparisonsAndSigns() {
        Money small = Money.parse("0.01");
        Money large = Money.parse("1.00");
        assertThat(large.isGreaterThan(small)).isTrue();
        assertThat(small.isGreaterThan(large)).isFalse();
        assertThat(small.isLessThan(large)).isTrue();
        assertThat(small.isLessThan(small)).isFalse();
        assertThat(small.compareTo(large)).isNegative();
        assertThat(Money.max(small, large)).isEqualTo(large);
        assertThat(Money.min(small, large)).isEqualTo(small);
        assertThat(Money.ZERO.isZero()).isTrue();
        assertThat(Money.ZERO.isPositive()).isFalse();
        assertThat(Money.ZERO.isNegative()).isFalse();
        assertThat(Money.parse("-0.01").isNegative()).isTrue();
        assertThat(small.isPositive()).isTrue();
    }

    @Test
    void theLargestPostingIsOneBillionYuan() {
        assertThat(Money.MAX_POSTING).isEqualTo(Money.parse("1000000000.00"));
    }
}

package cn.prepaid.ledger.core.money;

import cn.prepaid.ledger.core.money.MoneyFormatException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RatioTest {

    @ParameterizedTest
    @CsvSource({
            "0.20, 2000",
            "0.2, 2000",
            "0.3, 3000",
            "1, 10000",
            "1.0, 10000",
            "0.1234, 1234",
            "0.0005, 5",
            "12.5, 125000",
            "0, 0"
    })
    void parsesTheWireFormIntoBasisPoints(String wire, long basisPoints) {
        assertThat(Ratio.parse(wire).basisPoints()).isEqualTo(basisPoints);
    }

    @ParameterizedTest
    @CsvSource({
            "2000, 0.20",
            "1234, 0.1234",
            "1230, 0.123",
            "10000, 1.00",
            "5, 0.0005",
            "0, 0.00",
            "125000, 12.50"
    })
    void printsAtLeastTwoFractionDigits(long basisPoints, String wire) {
        assertThat(Ratio.ofBasisPoints(basisPoints).toWire()).isEqualTo(wire);
        assertThat(Ratio.ofBasisPoints(basisPoints)).hasToString(wire);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.12345", "-0.2", "+0.2", " 0.2", "1e2", ".2", "2.", "10000", "0,2", "20%"})
    void rejectsMalformedRatios(String wire) {
        assertThatThrownBy(() -> Ratio.parse(wire))
                .isInstanceOf(MoneyFormatException.class)
                .satisfies(e -> assertThat(((MoneyFormatException) e).problem()).isEqualTo(Problem.NOT_A_DECIMAL));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsAMissingRatio(String wire) {
        assertThatThrownBy(() -> Ratio.parse(wire))
                .isInstanceOf(MoneyFormatException.class)
                .satisfies(e -> assertThat(((MoneyFormatException) e).problem()).isEqualTo(Problem.MISSING));
    }

    @Test
    void aRatioCannotBeNegative() {
        assertThatThrownBy(() -> Ratio.ofBasisPoints(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            // ratio bp, amount fen, expected fen
            "2000, 5, 1",        // 1.0 exactly
            "2000, 6, 2",        // 1.2 rounds up
            "2000, 1, 1",        // 0.2 rounds up to one fen
            "2000, 100000, 20000",
            "2000, 100001, 20001", // 20000.2
            "3333, 100, 34",     // 33.33
            "10000, 123457, 123457",
            "0, 999999, 0",
            "2000, 0, 0",
            "1, 9999, 1",        // 0.9999
            "1, 10000, 1",       // exactly 1
            "1, 10001, 2"        // 1.0001
    })
    void ofRoundedUpRoundsTowardsTheCustodian(long basisPoints, long amountFen, long expectedFen) {
        assertThat(Ratio.ofBasisPoints(basisPoints).ofRoundedUp(Money.ofFen(amountFen)))
                .isEqualTo(Money.ofFen(expectedFen));
    }

    @Test
    void ofRoundedUpOverflowThrowsRatherThanWrapping() {
        assertThatThrownBy(() -> Ratio.ofBasisPoints(20_000).ofRoundedUp(Money.ofFen(Long.MAX_VALUE / 10_000)))
                .isInstanceOf(ArithmeticException.class);
    }

    @ParameterizedTest
    @CsvSource({
            // ratio bp, part fen, whole fen, reached
            "3000, 3000, 10000, true",     // exactly 30 %
            "3000, 2999, 10000, false",    // just below
            "3000, 3000, 10001, false",    // 30 % of 10001 is 3000.3
            "3000, 3001, 10001, true",
            "3000, 1000000, 3333333, true",   // 30 % of 33,333.33 is 9,999.9999
            "3000, 1000000, 3333334, false",  // 30 % of 33,333.34 is 10,000.002
            "3333, 3333, 10000, true",
            "3333, 3332, 10000, false",
            "10000, 5000, 5000, true",
            "10000, 4999, 5000, false",
            "0, 0, 5000, true",
            "3000, 1, 0, true"
    })
    void isReachedByComparesExactly(long basisPoints, long partFen, long wholeFen, boolean reached) {
        assertThat(Ratio.ofBasisPoints(basisPoints).isReachedBy(Money.ofFen(partFen), Money.ofFen(wholeFen)))
                .isEqualTo(reached);
    }

    @Test
    void isReachedByIsExactWhereDoublesAreNot() {
        // 0.1 + 0.2 > 0.3 in binary floating point; in basis points 30 % of 0.10 + 0.20 is exactly 0.09
        Money whole = Money.parse("0.10").plus(Money.parse("0.20"));
        assertThat(Ratio.parse("0.3").isReachedBy(Money.parse("0.09"), whole)).isTrue();
        assertThat(Ratio.parse("0.3").isReachedBy(Money.parse("0.08"), whole)).isFalse();
    }
}

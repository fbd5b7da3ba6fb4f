package cn.prepaid.ledger.core.ids;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"A", "ACC-1", "bank.txn_2024:0001", "a-b.c_d:e", "0"})
    void acceptsLettersDigitsAndDotUnderscoreColonDash(String value) {
        assertThat(ClientIds.isValid(value)).isTrue();
        assertThat(ClientIds.require("orderId", value)).isSameAs(value);
    }

    @Test
    void acceptsSixtyFourCharactersButNotSixtyFive() {
        String max = "x".repeat(64);
        assertThat(ClientIds.isValid(max)).isTrue();
        assertThat(ClientIds.isValid(max + "x")).isFalse();
        assertThatThrownBy(() -> ClientIds.require("orderId", max + "x")).isInstanceOf(InvalidIdentifierException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "a b", " a", "a/b", "a+b", "订单1", "a\nb", "a#b", "a@b", "ä"})
    void rejectsEverythingElse(String value) {
        assertThat(ClientIds.isValid(value)).isFalse();
        assertThatThrownBy(() -> ClientIds.require("bankTxnId", value))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageStartingWith("bankTxnId: ")
                .satisfies(e -> assertThat(((InvalidIdentifierException) e).field()).isEqualTo("bankTxnId"));
    }

    @Test
    void eachTypedIdNamesItsField() {
        assertThatThrownBy(() -> AccountId.of("a b")).satisfies(
                e -> assertThat(((InvalidIdentifierException) e).field()).isEqualTo("accountId"));
        assertThatThrownBy(() -> BankTxnId.of("")).satisfies(
                e -> assertThat(((InvalidIdentifierException) e).field()).isEqualTo("bankTxnId"));
        assertThatThrownBy(() -> OrderId.of(null)).satisfies(
                e -> assertThat(((InvalidIdentifierException) e).field()).isEqualTo("orderId"));
        assertThatThrownBy(() -> ConsumptionId.of("x/y")).satisfies(
                e -> assertThat(((InvalidIdentifierException) e).field()).isEqualTo("consumptionId"));
        assertThatThrownBy(() -> RequestId.of("x".repeat(65))).satisfies(
                e -> assertThat(((InvalidIdentifierException) e).field()).isEqualTo("requestId"));
    }

    @Test
    void typedIdsPrintTheirValueAndCompareByValue() {
        assertThat(AccountId.of("ACC-1")).hasToString("ACC-1").isEqualTo(new AccountId("ACC-1"));
        assertThat(BankTxnId.of("T-1")).hasToString("T-1").isNotEqualTo(BankTxnId.of("T-2"));
        assertThat(OrderId.of("O-1").value()).isEqualTo("O-1");
        assertThat(ConsumptionId.of("C:1")).hasToString("C:1");
        assertThat(RequestId.of("R.1")).hasToString("R.1");
    }

    @Test
    void regionCodesAreSixDigits() {
        assertThat(RegionCode.of("330106").value()).isEqualTo("330106");
        assertThat(RegionCode.of("330106").isWithin("33")).isTrue();
        assertThat(RegionCode.of("330106").isWithin("")).isTrue();
        assertThat(RegionCode.of("330106").isWithin("35")).isFalse();
        assertThatThrownBy(() -> RegionCode.of("33010")).isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> RegionCode.of("33010A")).isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> RegionCode.of(null)).isInstanceOf(InvalidIdentifierException.class);
    }

    @Test
    void bankCodesAreTwoToThirtyTwoLettersDigitsOrDashes() {
        assertThat(BankCode.of("ICBC-3301").value()).isEqualTo("ICBC-3301");
        assertThat(BankCode.of("AB")).hasToString("AB");
        assertThat(BankCode.of("x".repeat(32)).value()).hasSize(32);
        assertThatThrownBy(() -> BankCode.of("A")).isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> BankCode.of("x".repeat(33))).isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> BankCode.of("AB.C")).isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> BankCode.of(null)).isInstanceOf(InvalidIdentifierException.class);
    }
}

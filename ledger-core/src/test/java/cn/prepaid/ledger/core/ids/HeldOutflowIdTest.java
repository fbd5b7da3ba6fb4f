package cn.prepaid.ledger.core.ids;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeldOutflowIdTest {

    @Test
    void printsAccountAndNumber() {
        HeldOutflowId id = HeldOutflowId.of(AccountId.of("ACC-1"), 3);
        assertThat(id.value()).isEqualTo("ACC-1.H3");
        assertThat(id).hasToString("ACC-1.H3");
    }

    @Test
    void parsesBackToItsAccount() {
        HeldOutflowId id = HeldOutflowId.of("ACC-1.H12");
        assertThat(id.accountId()).isEqualTo(AccountId.of("ACC-1"));
        assertThat(id).isEqualTo(HeldOutflowId.of(AccountId.of("ACC-1"), 12));
    }

    @Test
    void anAccountIdThatItselfContainsDotHKeepsItsWholeName() {
        HeldOutflowId id = HeldOutflowId.of(AccountId.of("BANK.H7"), 2);
        assertThat(id.value()).isEqualTo("BANK.H7.H2");
        assertThat(HeldOutflowId.of("BANK.H7.H2").accountId()).isEqualTo(AccountId.of("BANK.H7"));
    }

    @Test
    void acceptsEighteenDigitsButNotNineteen() {
        assertThat(HeldOutflowId.of("A.H" + "9".repeat(18)).accountId().value()).isEqualTo("A");
        assertThatThrownBy(() -> HeldOutflowId.of("A.H" + "9".repeat(19)))
                .isInstanceOf(InvalidIdentifierException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"ACC-1", "ACC-1.H", "ACC-1.Hx", "ACC-1.H-1", "ACC-1.H1 ", ".H1", "ACC 1.H1", "ACC/1.H1",
            "ACC-1.h1", "ACC-1H1"})
    void rejectsAnythingElse(String value) {
        assertThatThrownBy(() -> HeldOutflowId.of(value))
                .isInstanceOf(InvalidIdentifierException.class)
                .satisfies(e -> assertThat(((InvalidIdentifierException) e).field()).isEqualTo("heldOutflowId"));
    }
}

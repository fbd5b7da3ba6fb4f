package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.StatementReconciled;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.InMemoryActivityHistory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BalanceFloorRulesTest {

    static final Instant AT = Instant.parse("2026-03-10T02:00:00Z");
    final BalanceBelowFloorRule below = new BalanceBelowFloorRule();
    final BalanceNearFloorRule near = new BalanceNearFloorRule();
    final InMemoryActivityHistory history = new InMemoryActivityHistory();

    /** Minimum balance ¥100,000.00, no liability: the floor is exactly ¥100,000.00. */
    static AccountSituation withBalance(long balanceFen) {
        return new AccountSituation("ACC-1", "91350100M000100Y43", "350100", balanceFen, 0, 10_000_000, 2_000,
                5_000_000, 4_000, 6_000);
    }

    static BankFeeCharged fee(long balanceAfterFen) {
        return new BankFeeCharged("ACC-1", "ACC-1.P9", "FEE-1", 100, "fee", balanceAfterFen, AT);
    }

    @Test
    void aBalanceOneFenBelowTheFloorIsRed() {
        List<AlertSignal> signals = below.evaluate(fee(9_999_999), withBalance(9_999_999), history);
        assertThat(signals).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.BALANCE_BELOW_FLOOR);
            assertThat(signal.grade()).isEqualTo(Grade.RED);
            assertThat(signal.facts()).containsEntry("balance", "99999.99").containsEntry("floor", "100000.00");
        });
        assertThat(near.evaluate(fee(9_999_999), withBalance(9_999_999), history)).isEmpty();
    }

    @Test
    void aBalanceExactlyAtTheFloorIsNearButNotBelow() {
        assertThat(below.evaluate(fee(10_000_000), withBalance(10_000_000), history)).isEmpty();
        assertThat(near.evaluate(fee(10_000_000), withBalance(10_000_000), history)).singleElement()
                .satisfies(signal -> assertThat(signal.grade()).isEqualTo(Grade.YELLOW));
    }

    @Test
    void nearTheFloorEndsOneFenBelowOneHundredTwentyPercent() {
        assertThat(near.evaluate(fee(11_999_999), withBalance(11_999_999), history)).hasSize(1);
        assertThat(near.evaluate(fee(12_000_000), withBalance(12_000_000), history)).isEmpty();
    }

    @Test
    void eventsThatCannotMoveBalanceOrFloorAreNotJudged() {
        StatementReconciled statement = new StatementReconciled("ACC-1", "S-1", LocalDate.of(2026, 3, 9), 1, 1, 0, 0, AT);
        assertThat(below.evaluate(statement, withBalance(1), history)).isEmpty();
        assertThat(near.evaluate(statement, withBalance(10_000_000), history)).isEmpty();
    }

    @Test
    void aHealthyBalanceRaisesNothing() {
        assertThat(below.evaluate(fee(50_000_000), withBalance(50_000_000), history)).isEmpty();
        assertThat(near.evaluate(fee(50_000_000), withBalance(50_000_000), history)).isEmpty();
    }

    @Test
    void aRiskReserveAtItsFloorOfAllUnearnedTuitionIsNotNearOnEveryDeposit() {
        // liability ratio 1.0, no minimum: the reserve is the students' unearned tuition, held in full
        AccountSituation reserve = new AccountSituation("ACC-1", "91350100M000100Y43", "350100", 10_500_000,
                10_000_000, 0, 10_000, 5_000_000, 4_000, 6_000);
        TuitionDeposited deposit = new TuitionDeposited("ACC-1", "ACC-1.P8", "BANK-8", "ORD-8", "S-8", 10, 48_000,
                480_000, LocalDate.of(2026, 3, 2), LocalDate.of(2026, 5, 31), 10_500_000, AT);

        assertThat(near.evaluate(deposit, reserve, history)).isEmpty();
        assertThat(near.evaluate(fee(10_500_000), reserve, history)).isEmpty();
        assertThat(below.evaluate(fee(9_999_999), new AccountSituation("ACC-1", "91350100M000100Y43", "350100",
                9_999_999, 10_000_000, 0, 10_000, 5_000_000, 4_000, 6_000), history)).hasSize(1);
    }

    @Test
    void aRiskReserveWhoseFloorIsItsMinimumBalanceIsStillWarnedNearIt() {
        AccountSituation reserve = new AccountSituation("ACC-1", "91350100M000100Y43", "350100", 10_500_000,
                2_000_000, 10_000_000, 10_000, 5_000_000, 4_000, 6_000);

        assertThat(near.evaluate(fee(10_500_000), reserve, history)).hasSize(1);
    }

    @Test
    void noFloorMeansNothingIsNear() {
        AccountSituation noFloor = new AccountSituation("ACC-1", "91350100M000100Y43", "350100", 0, 0, 0, 2_000,
                5_000_000, 4_000, 6_000);
        assertThat(near.evaluate(fee(0), noFloor, history)).isEmpty();
        assertThat(below.evaluate(fee(0), noFloor, history)).isEmpty();
    }
}

package cn.prepaid.ledger.core.policy;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupervisionPolicyTest {

    private final SupervisionPolicy fullCustody = SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY);
    private final SupervisionPolicy riskReserve = SupervisionPolicy.defaultsFor(SupervisionMode.RISK_RESERVE);

    @Test
    void defaultsFollowTheRules() {
        assertThat(fullCustody.minimumBalance()).isEqualTo(Money.ZERO);
        assertThat(fullCustody.liabilityRatio()).isEqualTo(Ratio.parse("0.20"));
        assertThat(fullCustody.largeTransferThreshold()).isEqualTo(Money.parse("50000.00"));
        assertThat(fullCustody.largeTransferRatio()).isEqualTo(Ratio.parse("0.30"));
        assertThat(fullCustody.largeTransferRatioFrom()).isEqualTo(Money.parse("10000.00"));
        assertThat(fullCustody.rapidDrain24hRatioBp()).isEqualTo(4_000L);
        assertThat(fullCustody.rapidDrain7dRatioBp()).isEqualTo(6_000L);
        assertThat(fullCustody.maxLessonsPerCharge()).isEqualTo(60);
        assertThat(fullCustody.maxMonthsPerCharge()).isEqualTo(3);
    }

    @Test
    void riskReserveDefaultsDifferOnlyInTheLiabilityRatio() {
        assertThat(riskReserve.liabilityRatio()).isEqualTo(Ratio.parse("1.0"));
        assertThat(riskReserve).isEqualTo(new SupervisionPolicy(0, 10_000, 5_000_000, 3_000, 1_000_000,
                4_000, 6_000, 60, 3));
    }

    @ParameterizedTest
    @CsvSource({
            // liability, floor under FULL_CUSTODY defaults (20 %, rounded up to the fen)
            "0.00, 0.00",
            "-100.00, 0.00",
            "0.01, 0.01",
            "0.05, 0.01",
            "0.06, 0.02",
            "1000.00, 200.00",
            "3200.00, 640.00",
            "1234.57, 246.92"       // 246.914 rounds up
    })
    void floorIsTheLiabilityShareRoundedUp(String liability, String floor) {
        assertThat(fullCustody.floor(Money.parse(liability))).isEqualTo(Money.parse(floor));
    }

    @Test
    void floorIsAtLeastTheMinimumBalance() {
        SupervisionPolicy shanghai = fullCustody.withCoreValues(Money.parse("100000.00"), Ratio.parse("0.20"),
                Money.parse("50000.00"), Ratio.parse("0.30"), Money.parse("10000.00"));
        assertThat(shanghai.floor(Money.ZERO)).isEqualTo(Money.parse("100000.00"));
        assertThat(shanghai.floor(Money.parse("499999.99"))).isEqualTo(Money.parse("100000.00"));
        assertThat(shanghai.floor(Money.parse("500000.00"))).isEqualTo(Money.parse("100000.00"));
        assertThat(shanghai.floor(Money.parse("500000.01"))).isEqualTo(Money.parse("100000.01"));
        assertThat(shanghai.floor(Money.parse("600000.00"))).isEqualTo(Money.parse("120000.00"));
    }

    @Test
    void riskReserveFloorCoversAllUnearnedTuition() {
        assertThat(riskReserve.floor(Money.parse("3200.00"))).isEqualTo(Money.parse("3200.00"));
        assertThat(riskReserve.floor(Money.parse("0.01"))).isEqualTo(Money.parse("0.01"));
    }

    @Test
    void anOutflowAtTheThresholdIsLarge() {
        Money hugeBalance = Money.parse("10000000.00");  // the ratio alone would not make it large
        assertThat(fullCustody.isLargeOutflow(Money.parse("50000.00"), hugeBalance)).isTrue();
        assertThat(fullCustody.isLargeOutflow(Money.parse("50000.01"), hugeBalance)).isTrue();
    }

    @Test
    void anOutflowJustBelowTheThresholdIsNotLargeWhenTheRatioIsNotReached() {
        Money hugeBalance = Money.parse("10000000.00");
        assertThat(fullCustody.isLargeOutflow(Money.parse("49999.99"), hugeBalance)).isFalse();
    }

    @Test
    void anOutflowOfThirtyPercentFromTenThousandIsLarge() {
        assertThat(fullCustody.isLargeOutflow(Money.parse("12000.00"), Money.parse("40000.00"))).isTrue();
        assertThat(fullCustody.isLargeOutflow(Money.parse("10000.00"), Money.parse("33333.33"))).isTrue();
    }

    @Test
    void anOutflowJustBelowThirtyPercentIsNotLarge() {
        assertThat(fullCustody.isLargeOutflow(Money.parse("11999.99"), Money.parse("40000.00"))).isFalse();
        assertThat(fullCustody.isLargeOutflow(Money.parse("12000.00"), Money.parse("40000.01"))).isFalse();
        assertThat(fullCustody.isLargeOutflow(Money.parse("10000.00"), Money.parse("33333.34"))).isFalse();
    }

    @Test
    void anOutflowJustBelowTenThousandIsNeverLargeByRatio() {
        assertThat(fullCustody.isLargeOutflow(Money.parse("9999.99"), Money.parse("10000.00"))).isFalse();
        assertThat(fullCustody.isLargeOutflow(Money.parse("9999.99"), Money.ZERO)).isFalse();
        assertThat(fullCustody.isLargeOutflow(Money.parse("10000.00"), Money.parse("10000.00"))).isTrue();
    }

    @Test
    void aNegativeBalanceBeforeMakesEveryOutflowFromTenThousandLarge() {
        assertThat(fullCustody.isLargeOutflow(Money.parse("10000.00"), Money.parse("-5.00"))).isTrue();
        assertThat(fullCustody.isLargeOutflow(Money.parse("9999.99"), Money.parse("-5.00"))).isFalse();
    }

    @Test
    void withCoreValuesKeepsVelocityAndCapSettings() {
        SupervisionPolicy custom = new SupervisionPolicy(0, 2_000, 5_000_000, 3_000, 1_000_000, 3_500, 5_500, 48, 2);
        SupervisionPolicy changed = custom.withCoreValues(Money.parse("1.00"), Ratio.parse("0.5"), Money.parse("2.00"),
                Ratio.parse("0.1"), Money.parse("3.00"));
        assertThat(changed).isEqualTo(new SupervisionPolicy(100, 5_000, 200, 1_000, 300, 3_500, 5_500, 48, 2));
    }

    @Test
    void rejectsNonsensicalValues() {
        assertThatThrownBy(() -> new SupervisionPolicy(-1, 2_000, 5_000_000, 3_000, 1_000_000, 4_000, 6_000, 60, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumBalance");
        assertThatThrownBy(() -> new SupervisionPolicy(0, -1, 5_000_000, 3_000, 1_000_000, 4_000, 6_000, 60, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("liabilityRatio");
        assertThatThrownBy(() -> new SupervisionPolicy(0, 2_000, 0, 3_000, 1_000_000, 4_000, 6_000, 60, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largeTransferThreshold");
        assertThatThrownBy(() -> new SupervisionPolicy(0, 2_000, 5_000_000, -1, 1_000_000, 4_000, 6_000, 60, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largeTransferRatio");
        assertThatThrownBy(() -> new SupervisionPolicy(0, 2_000, 5_000_000, 3_000, -1, 4_000, 6_000, 60, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largeTransferRatioFrom");
        assertThatThrownBy(() -> new SupervisionPolicy(0, 2_000, 5_000_000, 3_000, 1_000_000, 0, 6_000, 60, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rapid-drain");
        assertThatThrownBy(() -> new SupervisionPolicy(0, 2_000, 5_000_000, 3_000, 1_000_000, 4_000, 6_000, 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("charge cap");
        assertThatThrownBy(() -> new SupervisionPolicy(0, 2_000, 5_000_000, 3_000, 1_000_000, 4_000, 6_000, 60, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("charge cap");
    }
}

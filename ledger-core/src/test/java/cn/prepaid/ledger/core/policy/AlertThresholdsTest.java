package cn.prepaid.ledger.core.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertThresholdsTest {

    @Test
    void theDefaultsAreTheCataloguesAndEveryPolicyStartsWithThem() {
        assertThat(AlertThresholds.DEFAULTS).isEqualTo(new AlertThresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000,
                21, 3, 14));
        assertThat(SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY).alertThresholds())
                .isSameAs(AlertThresholds.DEFAULTS);
        assertThat(new SupervisionPolicy(0, 2_000, 5_000_000, 3_000, 1_000_000, 4_000, 6_000, 60, 3, null)
                .alertThresholds()).isSameAs(AlertThresholds.DEFAULTS);
    }

    @Test
    void settingThemKeepsEverythingElseOfThePolicy() {
        SupervisionPolicy policy = SupervisionPolicy.defaultsFor(SupervisionMode.RISK_RESERVE);
        AlertThresholds strict = new AlertThresholds(5_000, 12, 3, 7_000, 2, 72, 2, 3, 3, 4_000, 14, 2, 10);

        SupervisionPolicy changed = policy.withAlertThresholds(3_000, 5_000, strict);

        assertThat(changed.alertThresholds()).isEqualTo(strict);
        assertThat(changed.rapidDrain24hRatioBp()).isEqualTo(3_000);
        assertThat(changed.rapidDrain7dRatioBp()).isEqualTo(5_000);
        assertThat(changed.liabilityRatioBp()).isEqualTo(policy.liabilityRatioBp());
        assertThat(changed.largeTransferThresholdFen()).isEqualTo(policy.largeTransferThresholdFen());
    }

    @Test
    void thresholdsARuleCannotUseAreRefused() {
        assertThatThrownBy(() -> new AlertThresholds(-1, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 21, 3, 14))
                .hasMessageContaining("nearFloorBand");
        assertThatThrownBy(() -> new AlertThresholds(2_000, 24, 7, 10_000, 3, 48, 3, 5, 2, 5_000, 21, 3, 14))
                .hasMessageContaining("structuringFrom");
        assertThatThrownBy(() -> new AlertThresholds(2_000, 24, 7, 8_000, 1, 48, 3, 5, 2, 5_000, 21, 3, 14))
                .hasMessageContaining("structuringCount");
        assertThatThrownBy(() -> new AlertThresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 10_001, 21, 3, 14))
                .hasMessageContaining("collectAndRunDrainShare");
        assertThatThrownBy(() -> new AlertThresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 0, 3, 14))
                .hasMessageContaining("consumptionStallDays");
        assertThatThrownBy(() -> new AlertThresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 21, 3, -1))
                .hasMessageContaining("refundDisputeOverdueDays");
    }

    @Test
    void thresholdsStoredBeforeTheDisputeDeadlineExistedReadItAsItsDefault() {
        assertThat(new AlertThresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 21, 3, null)
                .refundDisputeOverdueDays()).isEqualTo(14);
        assertThatThrownBy(() -> new AlertThresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 21, 3, 0))
                .hasMessageContaining("refundDisputeOverdueDays");
    }
}

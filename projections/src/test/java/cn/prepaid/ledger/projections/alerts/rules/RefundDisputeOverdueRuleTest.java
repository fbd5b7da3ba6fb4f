package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.rules.RefundDisputeOverdueRule.OpenDispute;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RefundDisputeOverdueRuleTest {

    private static final Instant OPENED = Instant.parse("2026-03-01T02:00:00Z");
    private static final OpenDispute DISPUTE = new OpenDispute("ACC-1", "DSP-1", "O-1", OPENED);
    private static final AccountSituation DEFAULTS = PolicyThresholdsTest.with(AlertThresholds.DEFAULTS, 0, 0);

    private final RefundDisputeOverdueRule rule = new RefundDisputeOverdueRule();

    @Test
    void aDisputeOpenFourteenDaysIsNotYetOverdue() {
        assertThat(rule.judgeAt(DISPUTE, DEFAULTS, OPENED.plus(Duration.ofDays(14)))).isEmpty();
    }

    @Test
    void aDisputeOpenLongerThanFourteenDaysRaisesOneYellowAlertForThatDispute() {
        AlertSignal signal = rule.judgeAt(DISPUTE, DEFAULTS, OPENED.plus(Duration.ofDays(15))).orElseThrow();

        assertThat(signal.code()).isEqualTo(AlertCode.REFUND_DISPUTE_OVERDUE);
        assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
        assertThat(signal.conditionKey()).isEqualTo("DSP-1");
        assertThat(signal.occurredAt()).isEqualTo(OPENED.plus(Duration.ofDays(14)));
        assertThat(signal.summary()).isEqualTo("refund dispute DSP-1 on order O-1 has been open for 15 days");
        assertThat(signal.facts()).containsEntry("orderId", "O-1").containsEntry("daysOpen", 15L);
    }

    @Test
    void theDeadlineIsThePolicys() {
        AlertThresholds d = AlertThresholds.DEFAULTS;
        AccountSituation sevenDays = PolicyThresholdsTest.with(new AlertThresholds(d.nearFloorBandBp(),
                d.rapidDrainShortHours(), d.rapidDrainLongDays(), d.structuringFromBp(), d.structuringCount(),
                d.structuringWindowHours(), d.refundSurgeMultiple(), d.refundSurgeMinRefunds(),
                d.collectAndRunMultiple(), d.collectAndRunDrainBp(), d.consumptionStallDays(),
                d.rejectedOutflowRedCount(), 7), 0, 0);

        assertThat(rule.judgeAt(DISPUTE, sevenDays, OPENED.plus(Duration.ofDays(7)))).isEmpty();
        assertThat(rule.judgeAt(DISPUTE, sevenDays, OPENED.plus(Duration.ofDays(8))).orElseThrow().occurredAt())
                .isEqualTo(OPENED.plus(Duration.ofDays(7)));
        assertThat(rule.judgeAt(DISPUTE, DEFAULTS, OPENED.plus(Duration.ofDays(8)))).isEmpty();
    }
}

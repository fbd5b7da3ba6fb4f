package cn.prepaid.ledger.projections.alerts.rules;

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

    private final RefundDisputeOverdueRule rule = new RefundDisputeOverdueRule();

    @Test
    void aDisputeOpenFourteenDaysIsNotYetOverdue() {
        assertThat(rule.judgeAt(DISPUTE, OPENED.plus(Duration.ofDays(14)))).isEmpty();
    }

    @Test
    void aDisputeOpenLongerThanFourteenDaysRaisesOneYellowAlertForThatDispute() {
        AlertSignal signal = rule.judgeAt(DISPUTE, OPENED.plus(Duration.ofDays(15))).orElseThrow();

        assertThat(signal.code()).isEqualTo(AlertCode.REFUND_DISPUTE_OVERDUE);
        assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
        assertThat(signal.conditionKey()).isEqualTo("DSP-1");
        assertThat(signal.occurredAt()).isEqualTo(OPENED.plus(Duration.ofDays(14)));
        assertThat(signal.summary()).isEqualTo("refund dispute DSP-1 on order O-1 has been open for 15 days");
        assertThat(signal.facts()).containsEntry("orderId", "O-1").containsEntry("daysOpen", 15L);
    }
}

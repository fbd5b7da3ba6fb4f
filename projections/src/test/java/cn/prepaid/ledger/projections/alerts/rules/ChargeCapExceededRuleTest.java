package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.ChargeCapExceeded;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.InMemoryActivityHistory;
import cn.prepaid.ledger.projections.alerts.Situations;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class ChargeCapExceededRuleTest {

    static final Instant T = Instant.parse("2026-03-10T02:00:00Z");
    static final AccountSituation ACCOUNT = Situations.DEFAULTS;

    final ChargeCapExceededRule rule = new ChargeCapExceededRule();
    final InMemoryActivityHistory history = new InMemoryActivityHistory();

    @Test
    void aDepositBeyondTheCapIsAYellowAlertPerOrder() {
        ChargeCapExceeded cap = new ChargeCapExceeded("ACC-1", "ORD-7", "BANK-7", 96, 60, LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 8, 31), 3, T);

        assertThat(rule.evaluate(cap, ACCOUNT, history)).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.CHARGE_CAP_EXCEEDED);
            assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
            assertThat(signal.conditionKey()).isEqualTo("ORD-7");
            assertThat(signal.occurredAt()).isEqualTo(T);
            assertThat(signal.summary()).contains("96 lessons", "60 lessons", "3 months");
            assertThat(signal.facts()).containsEntry("orderId", "ORD-7").containsEntry("lessons", 96)
                    .containsEntry("courseStart", "2026-03-01").containsEntry("courseEnd", "2026-08-31")
                    .containsEntry("bankTxnId", "BANK-7");
        });
    }

    @Test
    void theDepositItselfRaisesNothingHere() {
        TuitionDeposited deposit = new TuitionDeposited("ACC-1", "ACC-1.P1", "BANK-7", "ORD-7", "S-1", 96, 8_000,
                768_000, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 8, 31), 768_000, T);

        assertThat(rule.evaluate(deposit, ACCOUNT, history)).isEmpty();
    }
}

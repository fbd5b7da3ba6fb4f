package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.StatementMismatched;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.StatementReconciled;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.InMemoryActivityHistory;
import cn.prepaid.ledger.projections.alerts.Situations;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationMismatchRuleTest {

    static final Instant T = Instant.parse("2026-03-10T16:00:00Z");
    static final AccountSituation ACCOUNT = Situations.DEFAULTS;

    final ReconciliationMismatchRule rule = new ReconciliationMismatchRule();
    final InMemoryActivityHistory history = new InMemoryActivityHistory();

    @Test
    void aStatementThatDisagreesIsARedAlertPerStatementDate() {
        StatementMismatched mismatch = new StatementMismatched("ACC-1", "STMT-1", LocalDate.of(2026, 3, 10), 1_000_000,
                999_000, 1_000, 12, 11, T);

        assertThat(rule.evaluate(mismatch, ACCOUNT, history)).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.RECONCILIATION_MISMATCH);
            assertThat(signal.grade()).isEqualTo(Grade.RED);
            assertThat(signal.conditionKey()).isEqualTo("2026-03-10");
            assertThat(signal.occurredAt()).isEqualTo(T);
            assertThat(signal.summary()).contains("10000.00", "9990.00", "12 postings");
            assertThat(signal.facts()).containsEntry("statementId", "STMT-1")
                    .containsEntry("closingBalance", "10000.00").containsEntry("ledgerBalance", "9990.00")
                    .containsEntry("difference", "10.00").containsEntry("transactionCount", 12)
                    .containsEntry("ledgerTransactionCount", 11);
        });
    }

    @Test
    void aStatementThatAgreesRaisesNothing() {
        StatementReconciled reconciled = new StatementReconciled("ACC-1", "STMT-2", LocalDate.of(2026, 3, 11),
                1_000_000, 1_000_000, 12, 12, T);

        assertThat(rule.evaluate(reconciled, ACCOUNT, history)).isEmpty();
    }
}

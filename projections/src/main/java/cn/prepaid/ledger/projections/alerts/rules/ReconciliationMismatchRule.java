package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.StatementMismatched;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/** RED when a bank's daily statement disagrees with the ledger; one alert per statement date. */
@Component
public class ReconciliationMismatchRule implements AlertRule {

    @Override
    public AlertCode code() {
        return AlertCode.RECONCILIATION_MISMATCH;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (!(event instanceof StatementMismatched mismatch)) {
            return List.of();
        }
        return List.of(AlertSignal.of(code(), mismatch.occurredAt(), "statement of " + mismatch.statementDate()
                        + " says " + Money.ofFen(mismatch.closingBalanceFen()) + " (" + mismatch.transactionCount()
                        + " postings), the ledger " + Money.ofFen(mismatch.ledgerBalanceFen()) + " ("
                        + mismatch.ledgerTransactionCount() + ")",
                Map.of("statementId", mismatch.statementId(), "statementDate", mismatch.statementDate().toString(),
                        "closingBalance", Money.ofFen(mismatch.closingBalanceFen()).toWire(),
                        "ledgerBalance", Money.ofFen(mismatch.ledgerBalanceFen()).toWire(),
                        "difference", Money.ofFen(mismatch.differenceFen()).toWire(),
                        "transactionCount", mismatch.transactionCount(),
                        "ledgerTransactionCount", mismatch.ledgerTransactionCount()))
                .keyed(mismatch.statementDate().toString()));
    }
}

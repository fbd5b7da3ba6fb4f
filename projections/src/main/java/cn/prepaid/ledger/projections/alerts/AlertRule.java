package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;

import java.util.List;

/**
 * One rule of the alert catalogue. Called for every account event after the account's situation and
 * history include it; answers the conditions that now hold (usually none). Rules are stateless:
 * everything they judge by is in the situation and the history, so they are replay-safe.
 */
public interface AlertRule {

    AlertCode code();

    List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history);
}

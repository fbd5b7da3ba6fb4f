package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A rule that judges windows of an account's history ending at its facts' {@code occurredAt}s. A fact
 * can change the verdict on every window it falls into, not only on the window that ends at it: three
 * outflows posted in the order T−1h, T−2h, T−3h make a structuring window end at T−1h, and only the
 * last posting completes it. So a fact at {@code t} re-judges every window ending in
 * {@code [t, t + reach]} ({@link WindowJudge}), and any arrival order of the same facts reaches the same
 * verdicts once they have all arrived.
 */
public interface WindowedRule extends AlertRule {

    /** The kinds of fact whose arrival, on time or late, can change a window's verdict. */
    Set<Activity.Kind> movedBy();

    /** The kinds of fact at whose {@code occurredAt} a window ends, i.e. where the rule judges. */
    Activity.Kind[] judgedAt();

    /** How long after a fact the last window whose verdict it can change may end. */
    Duration reach(AccountSituation account);

    /** How far back from a window's end the facts it weighs lie (to name the accounts they came from). */
    default Duration lookBack(AccountSituation account) {
        return reach(account);
    }

    /** The verdict on the window ending at {@code end}, over the history as now known; empty when it does not hold. */
    Optional<AlertSignal> judgeAt(AccountSituation account, ActivityHistory history, Instant end);

    /** The latest window the event changed that holds, if any. */
    @Override
    default List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        return WindowJudge.rejudge(this, event, account, history).map(WindowJudge.Verdicts::latest)
                .flatMap(latest -> latest).stream().toList();
    }
}

package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RED when, at an outflow's {@code occurredAt} t, the outflows (releases, refunds, transfers) in
 * {@code (t − 24 h, t]} reach the account's 24-hour ratio (default 40 %) of the balance at t − 24 h, or those in
 * {@code (t − 7 d, t]} reach the 7-day ratio (default 60 %) of the balance at t − 7 d. A window that starts at a
 * balance of zero or less never fires; when both windows fire the 24-hour one is reported. One alert per account.
 */
@Component
public class RapidDrainRule implements AlertRule {

    public static final Duration SHORT_WINDOW = Duration.ofHours(24);
    public static final Duration LONG_WINDOW = Duration.ofDays(7);
    static final String SHORT_WINDOW_NAME = "24h";
    static final String LONG_WINDOW_NAME = "7d";

    private static final Activity.Kind[] OUTFLOWS =
            Arrays.stream(Activity.Kind.values()).filter(Activity.Kind::isOutflow).toArray(Activity.Kind[]::new);

    @Override
    public AlertCode code() {
        return AlertCode.RAPID_DRAIN;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (!(event instanceof FundsReleased || event instanceof TuitionRefunded
                || event instanceof FundsTransferredOut)) {
            return List.of();
        }
        Instant at = event.occurredAt();
        return drained(account, history, at, SHORT_WINDOW_NAME, SHORT_WINDOW, account.rapidDrain24hBp())
                .or(() -> drained(account, history, at, LONG_WINDOW_NAME, LONG_WINDOW, account.rapidDrain7dBp()))
                .stream().toList();
    }

    private Optional<AlertSignal> drained(AccountSituation account, ActivityHistory history, Instant at,
                                          String windowName, Duration window, long ratioBp) {
        Instant start = at.minus(window);
        long startBalance = history.balanceAt(account.accountId(), start);
        if (startBalance <= 0) {
            return Optional.empty();
        }
        long outflows = history.sum(account.accountId(), start, at, OUTFLOWS);
        if (Math.multiplyExact(outflows, Ratio.ONE_BP) < Math.multiplyExact(startBalance, ratioBp)) {
            return Optional.empty();
        }
        Ratio ratio = Ratio.ofBasisPoints(ratioBp);
        return Optional.of(AlertSignal.of(code(), at, "outflows of " + Money.ofFen(outflows) + " in " + windowName
                        + " reached " + ratio + " of the balance " + Money.ofFen(startBalance) + " at the window's start",
                Map.of("window", windowName, "outflowTotal", Money.ofFen(outflows).toWire(),
                        "balanceAtWindowStart", Money.ofFen(startBalance).toWire(), "ratioThreshold", ratio.toWire()))
                .keyed(""));
    }
}

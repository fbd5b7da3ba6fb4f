package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.WindowedRule;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * RED when, in a window ending at an outflow's {@code occurredAt} t, the outflows (releases, refunds, transfers)
 * in {@code (t − 24 h, t]} reach the account's 24-hour ratio (default 40 %) of the balance at t − 24 h, or those
 * in {@code (t − 7 d, t]} reach the 7-day ratio (default 60 %) of the balance at t − 7 d. A window that starts at
 * a balance of zero or less never fires; when both windows fire the 24-hour one is reported. One alert per
 * account. Both windows and both shares are the policy's; the figures here are the defaults.
 *
 * <p>Every money fact moves the verdict: an outflow adds to the windows it falls into, and any fact before a
 * window's start changes the balance it is measured against. So a money fact posted late at t re-judges the
 * windows ending in {@code [t, t + }{@value #REACH_DAYS}{@code  days]}; one posted more than that late changes
 * the balance of older windows without re-judging them (it would otherwise re-read the account's whole later
 * history).
 */
@Component
public class RapidDrainRule implements WindowedRule {

    public static final long REACH_DAYS = 366;

    private static final Set<Activity.Kind> MONEY = Arrays.stream(Activity.Kind.values())
            .filter(Activity.Kind::movesMoney).collect(Collectors.toUnmodifiableSet());

    @Override
    public AlertCode code() {
        return AlertCode.RAPID_DRAIN;
    }

    @Override
    public Set<Activity.Kind> movedBy() {
        return MONEY;
    }

    @Override
    public Activity.Kind[] judgedAt() {
        return Outflows.ARRAY;
    }

    @Override
    public Duration reach(AccountSituation account) {
        return Duration.ofDays(REACH_DAYS);
    }

    @Override
    public Duration lookBack(AccountSituation account) {
        return Duration.ofDays(account.thresholds().rapidDrainLongDays());
    }

    @Override
    public Optional<AlertSignal> judgeAt(AccountSituation account, ActivityHistory history, Instant at) {
        int shortHours = account.thresholds().rapidDrainShortHours();
        int longDays = account.thresholds().rapidDrainLongDays();
        return drained(account, history, at, shortHours + "h", Duration.ofHours(shortHours), account.rapidDrain24hBp())
                .or(() -> drained(account, history, at, longDays + "d", Duration.ofDays(longDays),
                        account.rapidDrain7dBp()));
    }

    private Optional<AlertSignal> drained(AccountSituation account, ActivityHistory history, Instant at,
                                          String windowName, Duration window, long ratioBp) {
        Instant start = at.minus(window);
        long startBalance = history.balanceAt(account.accountId(), start);
        if (startBalance <= 0) {
            return Optional.empty();
        }
        long outflows = history.sum(account.accountId(), start, at, Outflows.ARRAY);
        if (Math.multiplyExact(outflows, Ratio.ONE_BP) < Math.multiplyExact(startBalance, ratioBp)) {
            return Optional.empty();
        }
        Ratio ratio = Ratio.ofBasisPoints(ratioBp);
        return Optional.of(AlertSignal.of(code(), at, "outflows of " + Money.ofFen(outflows) + " in " + windowName
                        + " reached " + ratio + " of the balance " + Money.ofFen(startBalance) + " at the window's start",
                Map.of("window", windowName, "outflowTotal", Money.ofFen(outflows).toWire(),
                        "balanceAtWindowStart", Money.ofFen(startBalance).toWire(), "ratioThreshold", ratio.toWire())));
    }
}

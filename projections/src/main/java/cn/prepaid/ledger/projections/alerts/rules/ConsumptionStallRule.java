package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * YELLOW when deposits keep arriving but no lesson has been consumed for 21 days.
 * Judged at an instant {@code t} (the occurredAt of a deposit, or the time of a sweep) over the
 * half-open window {@code (t − 21d, t]}: it holds when the window has at least one deposit and no
 * consumption, and the account has been taking deposits for at least 21 days (its earliest deposit is
 * at or before {@code t − 21d}, so a young account is not "stalled"). One alert per account (key "").
 * <p>
 * Event-driven on {@link TuitionDeposited} (a late one is judged at its occurredAt); time-driven by
 * {@code ConsumptionStallSweep}, which calls {@link #judgeAt} for accounts that receive no new event.
 * The 21 days are the policy's ({@code AlertThresholds#consumptionStallDays}), the default here.
 */
@Component
public class ConsumptionStallRule implements AlertRule {

    /** The value of the {@code lastConsumption} fact for an account that never consumed a lesson. */
    public static final String NEVER = "never";

    @Override
    public AlertCode code() {
        return AlertCode.CONSUMPTION_STALL;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (!(event instanceof TuitionDeposited deposited)) {
            return List.of();
        }
        return judgeAt(account, history, deposited.occurredAt()).map(List::of).orElse(List.of());
    }

    /**
     * Whether the account is stalled at {@code at}: a deposit in {@code (at − 21d, at]}, none of its
     * consumption there, and its earliest deposit at or before {@code at − 21d}.
     */
    public Optional<AlertSignal> judgeAt(AccountSituation account, ActivityHistory history, Instant at) {
        String id = account.accountId();
        Duration stall = Duration.ofDays(account.thresholds().consumptionStallDays());
        Instant windowStart = at.minus(stall);
        Optional<Instant> firstDeposit = history.earliest(id, Activity.Kind.DEPOSIT);
        if (firstDeposit.isEmpty() || firstDeposit.get().isAfter(windowStart)) {
            return Optional.empty();
        }
        if (history.count(id, windowStart, at, Activity.Kind.CONSUMPTION) > 0) {
            return Optional.empty();
        }
        List<Activity> deposits = history.between(id, windowStart, at, Activity.Kind.DEPOSIT);
        if (deposits.isEmpty()) {
            return Optional.empty();
        }
        long depositedFen = deposits.stream().mapToLong(Activity::amountFen).sum();
        // With no consumption in the window the latest one (if any) is at or before windowStart.
        Optional<Instant> lastConsumption = history.latest(id, Activity.Kind.CONSUMPTION, at);
        Instant stalledSince = lastConsumption.orElse(firstDeposit.get());
        long days = Duration.between(stalledSince, at).toDays();
        String deposited = Money.ofFen(depositedFen).toWire();
        String summary = deposits.size() + " deposit(s) totalling " + deposited + " in the last " + stall.toDays()
                + " days but " + lastConsumption.map(c -> "no lesson consumed since " + c + " (" + days + " days)")
                .orElse("no lesson ever consumed (first deposit " + days + " days ago)");
        return Optional.of(AlertSignal.of(code(), at, summary,
                Map.of("lastConsumption", lastConsumption.map(Instant::toString).orElse(NEVER),
                        "daysWithoutConsumption", days,
                        "depositsInWindow", deposits.size(),
                        "depositedInWindow", deposited)));
    }
}

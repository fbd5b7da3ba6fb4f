package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Re-judges the windows a fact falls into. A fact at {@code t} can only change windows ending at or after
 * {@code t} (a window is {@code (end − length, end]}, or looks back further from its start, never
 * forward), and none ending after {@code t + reach}. Judging every window end in that range against the
 * history that already includes the fact gives each window the verdict it has on all facts known so
 * far; the last fact of a window to arrive therefore judges it complete, whatever the arrival order.
 */
public final class WindowJudge {

    /** Timestamps are kept to the microsecond: nothing lies strictly between {@code t − 1 µs} and {@code t}. */
    private static final Duration FINEST = Duration.ofNanos(1_000);

    private WindowJudge() {
    }

    /**
     * The verdicts on the windows ending in {@code [from, to]}: {@code holding} are the signals of those that
     * hold, oldest window first. Windows outside the range kept the verdicts they had.
     */
    public record Verdicts(Instant from, Instant to, List<AlertSignal> holding) {

        public Optional<AlertSignal> latest() {
            return holding.isEmpty() ? Optional.empty() : Optional.of(holding.get(holding.size() - 1));
        }
    }

    /** The re-judged windows, or empty when the event is no fact this rule is moved by. */
    public static Optional<Verdicts> rejudge(WindowedRule rule, EscrowAccountEvent event, AccountSituation account,
                                             ActivityHistory history) {
        Optional<WindowEnds.Range> ends = windowEnds(rule, event, account);
        if (ends.isEmpty()) {
            return Optional.empty();
        }
        WindowEnds.Range read = ends.get();
        List<AlertSignal> holding = history.between(account.accountId(), read.from(), read.to(), rule.judgedAt())
                .stream().map(Activity::occurredAt).distinct()
                .map(end -> rule.judgeAt(account, history, end)).flatMap(Optional::stream).toList();
        return Optional.of(new Verdicts(event.occurredAt(), read.to(), holding));
    }

    /**
     * What re-judging reads first: the facts at which the rule's windows end, from the event's time to its
     * reach; empty when the event is no fact this rule is moved by.
     */
    static Optional<WindowEnds.Range> windowEnds(WindowedRule rule, EscrowAccountEvent event, AccountSituation scope) {
        Optional<Activity.Kind> kind = Activity.kindOf(event);
        if (kind.isEmpty() || !rule.movedBy().contains(kind.get())) {
            return Optional.empty();
        }
        Instant at = event.occurredAt();
        return Optional.of(new WindowEnds.Range(at.minus(FINEST), at.plus(rule.reach(scope)),
                EnumSet.copyOf(Arrays.asList(rule.judgedAt()))));
    }
}

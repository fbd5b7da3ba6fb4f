package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.client.model.RegisterInstitutionRequest;
import cn.prepaid.ledger.sim.traffic.Action.Fact;
import cn.prepaid.ledger.sim.traffic.Action.Kind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The alert catalogue of docs/domain.md §12, as the simulator reads it, judged over a planned term: which
 * request first makes each condition hold on each account. The simulator uses it to write the ground
 * truth (the decisive posting of every scenario) and its tests use it to check that ordinary traffic
 * meets none of the conditions. It is written from the catalogue and its default thresholds, not
 * from the ledger's code, so a disagreement with the ledger's alerts is worth a look on both sides.
 *
 * <p>Like the ledger, it judges an event against the account's history as recorded so far, by
 * occurredAt, with half-open windows {@code (t − w, t]}.
 */
final class RuleOracle {

    static final Duration DAY = Duration.ofHours(24);
    static final Duration WEEK = Duration.ofDays(7);
    /** How far after a money fact a drain window it moves can end (the ledger's reach for RAPID_DRAIN). */
    static final Duration DRAIN_REACH = Duration.ofDays(366);

    /** The first request after which a code's condition holds on an account; null for the end-of-run sweep. */
    record Trigger(String accountId, String institutionId, String code, Action decisive) {
    }

    private record Entry(Instant at, Kind kind, long amountFen) {
    }

    private static final class Account {
        final List<Entry> history = new ArrayList<>();
        long balanceFen;
        long liabilityFen;
        long minimumBalanceFen;
        long largeThresholdFen = 5_000_000;
        String institutionId;
    }

    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Trigger> first = new LinkedHashMap<>();
    /** The large threshold of the institution being set up: its accounts take it when they open. */
    private long setupThreshold = 5_000_000;

    static List<Trigger> judge(TermPlan plan) {
        RuleOracle oracle = new RuleOracle();
        for (Action action : plan.all()) {
            oracle.take(action);
        }
        for (Map.Entry<String, Account> account : oracle.accounts.entrySet()) {
            // the ledger's scheduled sweep judges stalls at its own "now", from the end of the term on
            for (int hours = 0; hours <= 24; hours += 6) {
                if (oracle.stalled(account.getValue(), plan.calendar.end().plus(Duration.ofHours(hours)))) {
                    oracle.raise(account.getKey(), account.getValue(), "CONSUMPTION_STALL", null);
                }
            }
        }
        return List.copyOf(oracle.first.values());
    }

    private void take(Action action) {
        if (action.phase() == Action.Phase.SETUP) {
            if (action.accountId() != null) {
                Account account = accounts.computeIfAbsent(action.accountId(), id -> new Account());
                account.institutionId = action.institutionId();
                account.largeThresholdFen = setupThreshold;
            } else if (action.body() instanceof RegisterInstitutionRequest register && register.getPolicy() != null) {
                setupThreshold = Wire.fen(register.getPolicy().getLargeTransferThreshold());
            } else if (action.body() != null) {
                setupThreshold = 5_000_000;
            }
            return;
        }
        Fact fact = action.fact();
        if (fact == null) {
            return;
        }
        String id = action.accountId();
        Account account = accounts.get(id);
        Instant t = fact.occurredAt();
        Kind kind = fact.kind();
        if (kind != Kind.OUTFLOW_REJECTED && kind != Kind.STATEMENT_MISMATCH && kind != Kind.POLICY) {
            account.history.add(new Entry(t, kind, fact.amountFen()));
            account.balanceFen += kind.signed(fact.amountFen());
        }
        switch (kind) {
            case DEPOSIT -> {
                account.liabilityFen += fact.amountFen();
                if (fact.capBreach()) {
                    raise(id, account, "CHARGE_CAP_EXCEEDED", action);
                }
                if (stalled(account, t)) {
                    raise(id, account, "CONSUMPTION_STALL", action);
                }
            }
            case CONSUMPTION -> account.liabilityFen -= fact.amountFen();
            case REFUND -> account.liabilityFen -= fact.amountFen();
            case POLICY -> account.minimumBalanceFen = fact.minimumBalanceFen();
            case OUTFLOW_REJECTED -> raise(id, account, "REJECTED_OUTFLOW", action);
            case STATEMENT_MISMATCH -> raise(id, account, "RECONCILIATION_MISMATCH", action);
            default -> {
            }
        }
        if (kind.isOutflow()) {
            judgeOutflow(id, account, t, kind, action);
        }
        if (kind.signed(fact.amountFen()) != 0) {
            judgeDrain(id, account, t, action);
        }
        if (kind != Kind.OUTFLOW_REJECTED && kind != Kind.STATEMENT_MISMATCH) {
            judgeFloor(id, account, action);
        }
    }

    private void judgeOutflow(String id, Account account, Instant t, Kind kind, Action action) {
        List<Entry> history = account.history;
        // a late outflow completes every window it falls into, not only the one ending at it
        long threshold = account.largeThresholdFen;
        for (Entry end : between(history, t.minusNanos(1), t.plus(Duration.ofHours(48)), e -> e.kind.isOutflow())) {
            long justBelow = between(history, end.at.minus(Duration.ofHours(48)), end.at, e -> e.kind.isOutflow()
                    && e.amountFen * 100 >= threshold * 80 && e.amountFen < threshold).size();
            if (justBelow >= 3) {
                raise(id, account, "STRUCTURING", action);
            }
        }
        if (kind == Kind.REFUND) {
            Instant weekStart = t.minus(WEEK);
            int thisWeek = between(history, weekStart, t, e -> e.kind == Kind.REFUND).size();
            int trailing = between(history, weekStart.minus(Duration.ofDays(30)), weekStart,
                    e -> e.kind == Kind.REFUND).size();
            if (thisWeek >= 5 && thisWeek * 30L >= 21L * trailing) {
                raise(id, account, "REFUND_SURGE", action);
            }
        }
        if (collectedAndRan(history, t)) {
            raise(id, account, "COLLECT_AND_RUN", action);
        }
        List<Entry> institution = institutionHistory(account.institutionId);
        if (institution != null && collectedAndRan(institution, t)) {
            raise(id, account, "COLLECT_AND_RUN", action);
        }
    }

    /**
     * Rapid drain after a money fact at t, in every window the fact can move, the account's and (for an institution
     * with two or more accounts) the institution's: those ending at the outflows in [t, t + reach]. A late outflow
     * adds to them and a late fact before their start changes the balance they are measured against, so a drain
     * posted newest first holds once its last (earliest) outflow arrives.
     */
    private void judgeDrain(String id, Account account, Instant t, Action action) {
        List<Entry> institution = institutionHistory(account.institutionId);
        if (drainedInWindowsMovedAt(account.history, t)
                || institution != null && drainedInWindowsMovedAt(institution, t)) {
            raise(id, account, "RAPID_DRAIN", action);
        }
    }

    private static boolean drainedInWindowsMovedAt(List<Entry> history, Instant t) {
        return between(history, t.minusNanos(1), t.plus(DRAIN_REACH), e -> e.kind.isOutflow()).stream()
                .anyMatch(end -> drained(history, end.at, DAY, 4_000) || drained(history, end.at, WEEK, 6_000));
    }

    /**
     * Collect and run at an outflow at t: a slow run (collected in the 14 days before the drain week, against the
     * trailing mean) or a fast one (collected in the drain week, against the busiest of the 8 weeks before).
     */
    private static boolean collectedAndRan(List<Entry> history, Instant t) {
        Instant drainStart = t.minus(WEEK);
        long drained = sum(history, drainStart, t, e -> e.kind.isOutflow());
        long slow = sum(history, drainStart.minus(Duration.ofDays(14)), drainStart, e -> e.kind == Kind.DEPOSIT);
        long slowTrailing = sum(history, drainStart.minus(Duration.ofDays(70)), drainStart.minus(Duration.ofDays(14)),
                e -> e.kind == Kind.DEPOSIT);
        if (slow > 0 && slow * 56 >= 2 * 14 * slowTrailing && drained * 100 >= 50 * slow) {
            return true;
        }
        long fast = sum(history, drainStart, t, e -> e.kind == Kind.DEPOSIT);
        long busiestWeek = 0;
        for (int week = 0; week < 8; week++) {
            Instant end = drainStart.minus(WEEK.multipliedBy(week));
            busiestWeek = Math.max(busiestWeek, sum(history, end.minus(WEEK), end, e -> e.kind == Kind.DEPOSIT));
        }
        return fast > 0 && fast >= 2 * busiestWeek && drained * 100 >= 50 * fast;
    }

    /** The facts of all accounts of an institution with two or more, by time; null for one with a single account. */
    private List<Entry> institutionHistory(String institutionId) {
        List<Account> members = accounts.values().stream().filter(a -> institutionId.equals(a.institutionId)).toList();
        if (members.size() < 2) {
            return null;
        }
        List<Entry> all = new ArrayList<>();
        members.forEach(member -> all.addAll(member.history));
        all.sort((a, b) -> a.at.compareTo(b.at));
        return all;
    }

    private static boolean drained(List<Entry> history, Instant t, Duration window, long ratioBp) {
        Instant start = t.minus(window);
        long startBalance = history.stream().filter(e -> !e.at.isAfter(start))
                .mapToLong(e -> e.kind.signed(e.amountFen)).sum();
        long outflows = sum(history, start, t, e -> e.kind.isOutflow());
        return startBalance > 0 && outflows * 10_000 >= startBalance * ratioBp;
    }

    private boolean stalled(Account account, Instant t) {
        Instant windowStart = t.minus(Duration.ofDays(21));
        boolean old = account.history.stream().anyMatch(e -> e.kind == Kind.DEPOSIT && !e.at.isAfter(windowStart));
        return old && between(account.history, windowStart, t, e -> e.kind == Kind.CONSUMPTION).isEmpty()
                && !between(account.history, windowStart, t, e -> e.kind == Kind.DEPOSIT).isEmpty();
    }

    private void judgeFloor(String id, Account account, Action action) {
        judgeFloor(id, account, account.balanceFen, account.liabilityFen, action);
        List<Account> members = accounts.values().stream()
                .filter(a -> account.institutionId.equals(a.institutionId)).toList();
        if (members.size() >= 2) { // the institution's total against the institution's floor
            judgeFloor(id, account, members.stream().mapToLong(a -> a.balanceFen).sum(),
                    members.stream().mapToLong(a -> a.liabilityFen).sum(), action);
        }
    }

    private void judgeFloor(String id, Account account, long balanceFen, long liabilityFen, Action action) {
        long floor = Math.max(account.minimumBalanceFen, -Math.floorDiv(-liabilityFen * 2_000, 10_000));
        if (balanceFen < floor) {
            raise(id, account, "BALANCE_BELOW_FLOOR", action);
        } else if (floor > 0 && balanceFen * 100 < floor * 120) {
            raise(id, account, "BALANCE_NEAR_FLOOR", action);
        }
    }

    private static List<Entry> between(List<Entry> history, Instant from, Instant to, Predicate<Entry> which) {
        return history.stream().filter(e -> e.at.isAfter(from) && !e.at.isAfter(to) && which.test(e)).toList();
    }

    private static long sum(List<Entry> history, Instant from, Instant to, Predicate<Entry> which) {
        return between(history, from, to, which).stream().mapToLong(e -> e.amountFen).sum();
    }

    private void raise(String accountId, Account account, String code, Action decisive) {
        first.putIfAbsent(accountId + "|" + code, new Trigger(accountId, account.institutionId, code, decisive));
    }
}

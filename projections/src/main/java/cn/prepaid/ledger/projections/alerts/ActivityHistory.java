package cn.prepaid.ledger.projections.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An account's past, by when things happened. Windows are half-open: {@code (from, to]}. Backed by
 * {@code alert_activity} in PostgreSQL; rule unit tests use an in-memory one.
 */
public interface ActivityHistory {

    /** The facts of these kinds in {@code (from, to]}, oldest first. */
    List<Activity> between(String accountId, Instant from, Instant to, Activity.Kind... kinds);

    /** The balance at {@code at}: every money fact that happened at or before it, late ones included. */
    long balanceAt(String accountId, Instant at);

    /** When the latest fact of this kind happened, at or before {@code at}. */
    Optional<Instant> latest(String accountId, Activity.Kind kind, Instant at);

    /** When the earliest fact of this kind happened. */
    Optional<Instant> earliest(String accountId, Activity.Kind kind);

    default long sum(String accountId, Instant from, Instant to, Activity.Kind... kinds) {
        return between(accountId, from, to, kinds).stream().mapToLong(Activity::amountFen).sum();
    }

    default int count(String accountId, Instant from, Instant to, Activity.Kind... kinds) {
        return between(accountId, from, to, kinds).size();
    }
}

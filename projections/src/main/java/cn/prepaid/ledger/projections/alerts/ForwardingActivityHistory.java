package cn.prepaid.ledger.projections.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A history that answers some questions itself and asks the one underneath everything else. */
abstract class ForwardingActivityHistory implements ActivityHistory {

    private final ActivityHistory history;

    ForwardingActivityHistory(ActivityHistory history) {
        this.history = history;
    }

    @Override
    public List<Activity> between(String accountId, Instant from, Instant to, Activity.Kind... kinds) {
        return history.between(accountId, from, to, kinds);
    }

    @Override
    public long balanceAt(String accountId, Instant at) {
        return history.balanceAt(accountId, at);
    }

    @Override
    public Optional<Instant> latest(String accountId, Activity.Kind kind, Instant at) {
        return history.latest(accountId, kind, at);
    }

    @Override
    public Optional<Instant> earliest(String accountId, Activity.Kind kind) {
        return history.earliest(accountId, kind);
    }
}

package cn.prepaid.ledger.store.audit;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.Optional;

/**
 * An account as the ledger saw it: the account's own event-sourcing handlers (the same code that
 * rebuilds the aggregate) applied, in recording order, to the events that had happened by
 * {@code asOf} (their occurredAt) and had been recorded by {@code knownAt}. A posting recorded late
 * counts for "as of" its own time but only once it is "known". The account's opening always counts.
 *
 * <p>The replay starts from the latest checkpoint that question may use ({@link BalanceCheckpoints}),
 * or from the first event when there is none (or a full replay is asked for, to cross-check), and
 * PostgreSQL leaves out the later events that cannot count. Either way the same events are applied
 * in the same order, so the answer does not depend on which checkpoints exist.
 */
@Component
public class BalanceAsOf {

    /**
     * {@code eventsApplied}: the events the answer is made of (from the checkpoint and after it);
     * {@code eventsReplayed}: those this answer read and applied itself, after {@code checkpointSequence}.
     */
    public record Answer(Money balance, Money outstandingLiability, Money releasable, Money floor, Instant asOf,
                         Instant knownAt, long eventsApplied, Long checkpointSequence, long eventsReplayed,
                         SupervisionPolicy policy) {
    }

    private final AccountReplay replay;
    private final BalanceCheckpoints checkpoints;
    private final TransactionTemplate readOnly;

    public BalanceAsOf(AccountReplay replay, BalanceCheckpoints checkpoints, PlatformTransactionManager transactions) {
        this.replay = replay;
        this.checkpoints = checkpoints;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public Optional<Answer> of(String accountId, Instant asOf, Instant knownAt) {
        return of(accountId, asOf, knownAt, true);
    }

    /** With {@code useCheckpoints} false, replays from the account's first event (an auditor's cross-check). */
    public Optional<Answer> of(String accountId, Instant asOf, Instant knownAt, boolean useCheckpoints) {
        // PostgreSQL only streams through a cursor inside a transaction
        return readOnly.execute(status -> {
            Optional<BalanceCheckpoints.Checkpoint> start = useCheckpoints
                    ? checkpoints.latestUsable(accountId, asOf, knownAt) : Optional.empty();
            EscrowAccount account = start.map(BalanceCheckpoints.Checkpoint::state).orElseGet(replay::blank);
            long fromCheckpoint = start.map(BalanceCheckpoints.Checkpoint::eventsCounted).orElse(0L);
            long[] replayed = {0};
            boolean[] opened = {start.isPresent()};
            replay.read(accountId, start.map(c -> c.sequence() + 1).orElse(0L), Long.MAX_VALUE, asOf, knownAt,
                    stored -> {
                        if (stored.event() != null && stored.countsFor(asOf, knownAt)
                                && !AccountReplay.settlesUnknownHold(account, stored.event())
                                && !AccountReplay.concernsUnknownOrder(account, stored.event())) {
                            replay.apply(account, stored.event());
                            replayed[0]++;
                            opened[0] |= stored.isOpening();
                        }
                    });
            if (!opened[0]) {
                return Optional.<Answer>empty();
            }
            EscrowAccount.State state = account.state();
            return Optional.of(new Answer(state.balance(), state.outstandingLiability(), state.releasable(),
                    state.floor(), asOf, knownAt, fromCheckpoint + replayed[0],
                    start.map(BalanceCheckpoints.Checkpoint::sequence).orElse(null), replayed[0], state.policy()));
        });
    }
}

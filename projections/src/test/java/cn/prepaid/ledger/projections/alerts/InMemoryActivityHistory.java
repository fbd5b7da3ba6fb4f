package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** An account's history in memory, for rule unit tests (the application uses {@link JdbcActivityHistory}). */
public class InMemoryActivityHistory implements ActivityHistory {

    private final List<Activity> activities = new ArrayList<>();
    private long sequence;
    private int postings;

    public InMemoryActivityHistory add(Instant at, Activity.Kind kind, long amountFen) {
        long signed = switch (kind) {
            case DEPOSIT, INTEREST -> amountFen;
            case RELEASE, REFUND, TRANSFER_OUT, BANK_FEE -> -amountFen;
            case ADJUSTMENT -> amountFen;
            case CONSUMPTION, OUTFLOW_REJECTED -> 0;
        };
        activities.add(new Activity(++sequence, at, kind, Math.abs(amountFen), signed));
        return this;
    }

    /** Records a release of account ACC-1 first, as the projection does, then answers the event to judge. */
    public FundsReleased release(Instant at, long fen) {
        add(at, Activity.Kind.RELEASE, fen);
        postings++;
        return new FundsReleased("ACC-1", "ACC-1.P" + postings, "BANK-" + postings, "ORD-1", fen,
                balanceAt("ACC-1", at), null, at);
    }

    /** Records a refund of account ACC-1, then answers the event to judge. */
    public TuitionRefunded refund(Instant at, long fen) {
        add(at, Activity.Kind.REFUND, fen);
        postings++;
        return new TuitionRefunded("ACC-1", "ACC-1.P" + postings, "BANK-" + postings, "ORD-2", fen,
                balanceAt("ACC-1", at), at);
    }

    /** Records a transfer out of account ACC-1, then answers the event to judge. */
    public FundsTransferredOut transferOut(Instant at, long fen) {
        add(at, Activity.Kind.TRANSFER_OUT, fen);
        postings++;
        return new FundsTransferredOut("ACC-1", "ACC-1.P" + postings, "BANK-" + postings, fen, "landlord", "rent",
                balanceAt("ACC-1", at), null, at);
    }

    @Override
    public List<Activity> between(String accountId, Instant from, Instant to, Activity.Kind... kinds) {
        List<Activity.Kind> wanted = Arrays.asList(kinds);
        return activities.stream()
                .filter(a -> a.occurredAt().isAfter(from) && !a.occurredAt().isAfter(to) && wanted.contains(a.kind()))
                .sorted(Comparator.comparing(Activity::occurredAt).thenComparing(Activity::sequence))
                .toList();
    }

    @Override
    public long balanceAt(String accountId, Instant at) {
        return activities.stream().filter(a -> !a.occurredAt().isAfter(at)).mapToLong(Activity::signedFen).sum();
    }

    @Override
    public Optional<Instant> latest(String accountId, Activity.Kind kind, Instant at) {
        return activities.stream().filter(a -> a.kind() == kind && !a.occurredAt().isAfter(at))
                .map(Activity::occurredAt).max(Comparator.naturalOrder());
    }

    @Override
    public Optional<Instant> earliest(String accountId, Activity.Kind kind) {
        return activities.stream().filter(a -> a.kind() == kind).map(Activity::occurredAt).min(Comparator.naturalOrder());
    }
}
